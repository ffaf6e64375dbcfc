import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../support/models";

type FindCycles = (dirs: string[], cwd: string) => Promise<string[][]>;

async function findImportCycles(): Promise<FindCycles> {
    const module = (await import(
        pathToFileURL(path.join(REPO_ROOT, "scripts/check-cycles.mjs")).href
    )) as { findImportCycles: FindCycles };
    return module.findImportCycles;
}

/** `npm run lint` runs scripts/check-cycles.mjs; prove it finds a circle, type-only ones included, and that the code base has none. */
describe("lint rejects import circles", () => {
    it("finds a circle made of a type-only import", async () => {
        const find = await findImportCycles();
        const dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-cycles-"));
        try {
            mkdirSync(path.join(dir, "src"));
            writeFileSync(
                path.join(dir, "src/a.ts"),
                `import type { B } from "./b";\nexport interface A { b?: B }\n`
            );
            writeFileSync(
                path.join(dir, "src/b.ts"),
                `import { c } from "./c";\nexport interface B { c: typeof c }\n`
            );
            writeFileSync(
                path.join(dir, "src/c.ts"),
                `import type { A } from "./a";\nexport const c: A | undefined = undefined;\n`
            );
            writeFileSync(
                path.join(dir, "src/d.ts"),
                `import { c } from "./c";\nexport const d = c;\n`
            );
            const cycles = await find(["src"], dir);
            assert.equal(cycles.length, 1, JSON.stringify(cycles));
            assert.deepEqual([...cycles[0]].sort(), ["src/a.ts", "src/b.ts", "src/c.ts"]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the code base has none", async () => {
        const find = await findImportCycles();
        assert.deepEqual(await find(["src", "test", "scripts"], REPO_ROOT), []);
    });
});
