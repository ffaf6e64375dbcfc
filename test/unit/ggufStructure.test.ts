import { strict as assert } from "node:assert";
import { open } from "node:fs/promises";
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { checkGgufHeader } from "../../src/engine/modelHost/ggufHeader";
import { checkGgufStructure } from "../../src/engine/modelHost/ggufStructure";
import { modelsDir, requireModel } from "../support/models";

async function check(file: string) {
    const handle = await open(file, "r");
    try {
        const head = Buffer.alloc(24);
        await handle.read(head, 0, 24, 0);
        const header = checkGgufHeader(head);
        assert.ok(header.ok);
        if (!header.ok) throw new Error();
        return await checkGgufStructure(
            handle,
            statSync(file).size,
            header.tensorCount,
            header.kvCount
        );
    } finally {
        await handle.close();
    }
}

describe("checkGgufStructure", () => {
    requireModel("tiny-fim-random.gguf");
    const models = readdirSync(modelsDir()).filter((f) => f.endsWith(".gguf"));
    for (const model of models) {
        it(`accepts the good test model ${model}`, async () => {
            const result = await check(path.join(modelsDir(), model));
            assert.equal(result.ok, true, JSON.stringify(result));
        });
    }
});
