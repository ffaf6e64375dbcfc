/** Seeded generators of hostile JSON values for the engine fuzzer. Deterministic for a given seed. */

export type Random = () => number;

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): Random {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];

function nested(depth: number, kind: "array" | "object"): unknown {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
    return value;
}

/** Values of every JSON type and the edge cases parsers and handlers trip over. */
export function hostileValue(random: Random): unknown {
    const generators: (() => unknown)[] = [
        () => null,
        () => true,
        () => false,
        () => 0,
        () => -1,
        () => 2 ** 31,
        () => -(2 ** 53),
        () => 1e308,
        () => 0.5,
        () => "",
        () => "x",
        () => "file:///does/not/exist.ts",
        () => "not a uri \u0000 with NUL",
        () => "lone \ud800 surrogate",
        () => "\udfff\ud800 reversed",
        () => "\u0000".repeat(64),
        () => "🦀".repeat(100),
        () => "a".repeat(10_000 + Math.floor(random() * 50_000)),
        () => [],
        () => [1, "2", null],
        () => ({}),
        () => ({ line: -1, character: -1 }),
        () => ({ line: 2 ** 31, character: 2 ** 31 }),
        () => ({ start: { line: 1e9, character: 0 }, end: { line: -5, character: "x" } }),
        () => ({ uri: 5, text: null, version: "one" }),
        () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
        () => nested(200 + Math.floor(random() * 800), "array"),
        () => nested(200 + Math.floor(random() * 800), "object"),
        () => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))
    ];
    return pick(random, generators)();
}

/** Every path to a value inside `value` (objects and arrays), for targeted replacement. */
export function paths(
    value: unknown,
    prefix: (string | number)[] = [],
    out: (string | number)[][] = []
): (string | number)[][] {
    if (value === null || typeof value !== "object") return out;
    const entries: [string | number, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
    for (const [key, child] of entries) {
        const path = [...prefix, key];
        out.push(path);
        paths(child, path, out);
    }
    return out;
}

function clone<T>(value: T): T {
    return structuredClone(value);
}

/** One mutation of valid params: replace all, replace one field, delete one field, or add junk. */
export function mutate(random: Random, valid: unknown): unknown {
    const choice = random();
    if (choice < 0.15) return hostileValue(random);
    const copy = clone(valid) as Record<string | number, unknown>;
    const all = paths(copy);
    if (all.length === 0) return hostileValue(random);
    const path = pick(random, all);
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (choice < 0.7) parent[last] = hostileValue(random);
    else if (choice < 0.9) delete parent[last];
    else parent[`unexpected${Math.floor(random() * 100)}`] = hostileValue(random);
    return copy;
}
