/**
 * Builds a corpus of broken GGUF files from a good one: truncations at many offsets, flipped
 * header bytes, wrong counts, impossible lengths, types, shapes and tensor offsets. Each case is
 * made on demand (`bytes()`), so the corpus never sits on disk all at once.
 */
import { VALUE_SIZES } from "../../src/engine/modelHost/ggufStructure";

export interface Field {
    at: number;
    size: 4 | 8;
}

export interface GgufLayout {
    kvs: {
        key: string;
        keyLength: Field;
        type: Field;
        valueType: number;
        valueAt: number;
        arrayCount?: Field;
    }[];
    tensors: {
        name: string;
        nameLength: Field;
        dims: Field;
        shape: Field[];
        type: Field;
        offset: Field;
    }[];
    infoEnd: number;
}

/** Finds where each field of a well-formed GGUF v2/v3 file is. */
export function layoutOf(file: Buffer): GgufLayout {
    let pos = 24;
    const u32 = () => {
        const v = file.readUInt32LE(pos);
        pos += 4;
        return v;
    };
    const u64 = () => {
        const v = Number(file.readBigUInt64LE(pos));
        pos += 8;
        return v;
    };
    const fixed = VALUE_SIZES;
    const skipValue = (type: number): void => {
        if (fixed[type] !== undefined) {
            pos += fixed[type];
            return;
        }
        if (type === 8) {
            const length = u64();
            pos += length;
            return;
        }
        const item = u32();
        const count = u64();
        for (let i = 0; i < count; i++) skipValue(item);
    };
    const kvCount = Number(file.readBigUInt64LE(16));
    const tensorCount = Number(file.readBigUInt64LE(8));
    const layout: GgufLayout = { kvs: [], tensors: [], infoEnd: 0 };
    for (let i = 0; i < kvCount; i++) {
        const keyLength: Field = { at: pos, size: 8 };
        const key = file.toString("utf8", pos + 8, pos + 8 + u64());
        pos += Buffer.byteLength(key);
        const type: Field = { at: pos, size: 4 };
        const valueType = u32();
        const valueAt = pos;
        const arrayCount: Field | undefined =
            valueType === 9 ? { at: pos + 4, size: 8 } : undefined;
        skipValue(valueType);
        layout.kvs.push({ key, keyLength, type, valueType, valueAt, arrayCount });
    }
    for (let i = 0; i < tensorCount; i++) {
        const nameLength: Field = { at: pos, size: 8 };
        const name = file.toString("utf8", pos + 8, pos + 8 + u64());
        pos += Buffer.byteLength(name);
        const dims: Field = { at: pos, size: 4 };
        const n = u32();
        const shape: Field[] = [];
        for (let d = 0; d < n; d++) {
            shape.push({ at: pos, size: 8 });
            pos += 8;
        }
        const type: Field = { at: pos, size: 4 };
        pos += 4;
        const offset: Field = { at: pos, size: 8 };
        pos += 8;
        layout.tensors.push({ name, nameLength, dims, shape, type, offset });
    }
    layout.infoEnd = pos;
    return layout;
}

export interface CorruptCase {
    name: string;
    /** Error codes the engine may report for this file (the first is the most precise). */
    expected: readonly string[];
    bytes(): Buffer;
}

function write(good: Buffer, field: Field, value: bigint | number): Buffer {
    const copy = Buffer.from(good);
    if (field.size === 4) copy.writeUInt32LE(Number(value) >>> 0, field.at);
    else copy.writeBigUInt64LE(BigInt(value), field.at);
    return copy;
}

const DAMAGED = ["corrupt", "truncated"] as const;

export function corruptCorpus(good: Buffer): CorruptCase[] {
    const layout = layoutOf(good);
    const cases: CorruptCase[] = [];
    const add = (name: string, expected: readonly string[], bytes: () => Buffer) =>
        cases.push({ name, expected, bytes });

    // Truncated at many offsets: inside the header, the metadata, the tensor table and the data.
    for (const at of [0, 1, 4, 8, 16, 23])
        add(`truncated at ${at} (header)`, ["notGguf"], () => good.subarray(0, at));
    const spread = (from: number, to: number, n: number) =>
        Array.from({ length: n }, (_, i) => Math.floor(from + ((to - from) * (i + 0.5)) / n));
    const firstTensor = layout.tensors[0]?.nameLength.at ?? layout.infoEnd;
    for (const at of [24, 25, 31, 32, ...spread(33, firstTensor, 30)])
        add(`truncated at ${at} (metadata)`, ["truncated"], () => good.subarray(0, at));
    for (const at of spread(firstTensor, layout.infoEnd, 15))
        add(`truncated at ${at} (tensor table)`, ["truncated"], () => good.subarray(0, at));
    for (const at of [
        layout.infoEnd,
        ...spread(layout.infoEnd + 1, good.length, 12),
        good.length - 1
    ])
        add(`truncated at ${at} (tensor data)`, ["truncated"], () => good.subarray(0, at));

    // Every header byte flipped.
    for (let at = 0; at < 24; at++) {
        const expected = at < 8 ? ["notGguf"] : [...DAMAGED, "loadFailed"];
        add(`header byte ${at} flipped`, expected, () => {
            const c = Buffer.from(good);
            c[at] ^= 0xff;
            return c;
        });
    }
    // Wrong magic and versions.
    for (const magic of ["GGML", "GGJT", "gguf", "\0\0\0\0"])
        add(`magic ${JSON.stringify(magic)}`, ["notGguf"], () => {
            const c = Buffer.from(good);
            c.write(magic, 0, "latin1");
            return c;
        });
    for (const version of [0, 1, 4, 0xffffffff])
        add(`version ${version}`, ["notGguf"], () => write(good, { at: 4, size: 4 }, version));

    // Wrong counts.
    const tensorCount = layout.tensors.length;
    const kvCount = layout.kvs.length;
    for (const count of [tensorCount + 1, tensorCount + 1000, 1_000_001])
        add(`tensor count ${count}`, DAMAGED, () => write(good, { at: 8, size: 8 }, count));
    for (const count of [tensorCount - 1, 1])
        add(`tensor count ${count}`, [...DAMAGED, "loadFailed"], () =>
            write(good, { at: 8, size: 8 }, count)
        );
    add("tensor count 0", ["corrupt"], () => write(good, { at: 8, size: 8 }, 0));
    for (const count of [kvCount + 1, kvCount + 50, 100_001])
        add(`metadata count ${count}`, DAMAGED, () => write(good, { at: 16, size: 8 }, count));
    add(`metadata count ${kvCount - 1}`, [...DAMAGED, "loadFailed"], () =>
        write(good, { at: 16, size: 8 }, kvCount - 1)
    );

    // Impossible lengths and types in the metadata.
    const kvs = [layout.kvs[0], layout.kvs[Math.floor(kvCount / 2)], layout.kvs[kvCount - 1]];
    for (const kv of kvs) {
        for (const length of [2n ** 62n, 2n ** 40n, BigInt(good.length)])
            add(`key ${kv.key} length ${length}`, DAMAGED, () => write(good, kv.keyLength, length));
        for (const type of [13, 255, 0xffffffff])
            add(`key ${kv.key} value type ${type}`, ["corrupt"], () => write(good, kv.type, type));
    }
    for (const kv of layout.kvs.filter((k) => k.valueType === 8).slice(0, 3)) {
        add(`string ${kv.key} length 2^60`, ["corrupt"], () =>
            write(good, { at: kv.valueAt, size: 8 }, 2n ** 60n)
        );
    }
    for (const kv of layout.kvs.filter((k) => k.arrayCount).slice(0, 3)) {
        add(`array ${kv.key} count 2^50`, ["corrupt"], () =>
            write(good, kv.arrayCount!, 2n ** 50n)
        );
        add(`array ${kv.key} item type 77`, ["corrupt"], () =>
            write(good, { at: kv.valueAt, size: 4 }, 77)
        );
    }

    // Impossible tensor infos.
    const tensors = [
        layout.tensors[0],
        layout.tensors[Math.floor(tensorCount / 2)],
        layout.tensors[tensorCount - 1]
    ];
    for (const t of tensors) {
        add(`tensor ${t.name} name length 2^40`, DAMAGED, () =>
            write(good, t.nameLength, 2n ** 40n)
        );
        for (const dims of [0, 5, 0xffffffff])
            add(`tensor ${t.name} ${dims} dimensions`, DAMAGED, () => write(good, t.dims, dims));
        add(`tensor ${t.name} shape 2^40`, DAMAGED, () => write(good, t.shape[0], 2n ** 40n));
        for (const type of [4, 31, 99, 0xffffffff])
            add(`tensor ${t.name} type ${type}`, DAMAGED, () => write(good, t.type, type));
        for (const offset of [2n ** 63n, 2n ** 40n, BigInt(good.length), 1n])
            add(`tensor ${t.name} offset ${offset}`, DAMAGED, () => write(good, t.offset, offset));
    }
    const [a, b] = [layout.tensors[0], layout.tensors[1]];
    if (a && b)
        add(`tensor ${b.name} renamed to a duplicate`, ["corrupt", "loadFailed"], () => {
            const c = Buffer.from(good);
            const name = Buffer.from(a.name);
            if (name.length !== Buffer.byteLength(b.name)) {
                c.writeBigUInt64LE(2n ** 61n, b.nameLength.at);
                return c;
            }
            name.copy(c, b.nameLength.at + 8);
            return c;
        });
    return cases;
}
