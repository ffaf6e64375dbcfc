/** The workspace index gives way to typing: it does not build while a completion is being computed. */
import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { WorkspaceIndex } from "../../src/engine/workspaceIndex/workspaceIndex";

describe("workspace index pacing", () => {
    const root = mkdtempSync(path.join(tmpdir(), "apprentice-pacing-"));
    const folder = path.join(root, "project");

    before(async () => {
        await mkdir(folder, { recursive: true });
        for (let i = 0; i < 20; i++) {
            await writeFile(
                path.join(folder, `module${i}.ts`),
                `export function step${i}(x: number): number {\n    return x + ${i};\n}\n`
            );
        }
    });
    after(() => rm(root, { recursive: true, force: true }));

    it("waits while a completion is busy and builds once it is answered", async () => {
        let busy = true;
        const index = new WorkspaceIndex({ isSecret: () => false, completionBusy: () => busy });
        const built = index.configure({ folders: [folder], exclude: [], storageFolder: "" });
        let done = false;
        void built.then(() => {
            done = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        assert.equal(done, false, "the build went on while a completion was busy");
        assert.equal(index.fileCount, 0);
        busy = false;
        await built;
        assert.equal(index.state, "ready");
        assert.equal(index.fileCount, 20);
        await index.dispose();
    });
});
