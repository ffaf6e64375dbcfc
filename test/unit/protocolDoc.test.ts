import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ApprenticeErrorCodes, isReservedErrorCode } from "../../src/shared/protocolErrors";
import { REPO_ROOT } from "../support/models";

/** Every `apprentice/*` method defined in src/shared (its `method = "…"` constant). */
function definedMethods(): string[] {
    const dir = path.join(REPO_ROOT, "src/shared");
    const methods: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
        for (const match of readFileSync(path.join(dir, file), "utf8").matchAll(
            /method\s*=\s*"(apprentice\/[^"]+)"/g
        ))
            methods.push(match[1]);
    }
    return methods.sort();
}

const doc = () => readFileSync(path.join(REPO_ROOT, "docs/protocol.md"), "utf8");

/** docs/protocol.md follows src/shared, as rust-analyzer's lsp-extensions.md follows lsp_ext.ts. */
describe("docs/protocol.md", () => {
    it("has a section for every apprentice/* method, and none for a method that is gone", () => {
        const documented = [...doc().matchAll(/^### `(apprentice\/[^`]+)`$/gm)]
            .map((m) => m[1])
            .sort();
        const defined = definedMethods();
        assert.ok(defined.length >= 10, `found ${defined.length} methods in src/shared`);
        assert.deepEqual(
            documented.filter((m) => !defined.includes(m)),
            [],
            "documented but no longer defined in src/shared"
        );
        assert.deepEqual(
            defined.filter((m) => !documented.includes(m)),
            [],
            "defined in src/shared but missing from docs/protocol.md"
        );
    });

    it("lists every error code with its name, and none lies in a range JSON-RPC or LSP reserve", () => {
        const rows = new Map(
            [...doc().matchAll(/^\| (-?\d+) \| `(\w+)` \|/gm)].map((m) => [m[2], Number(m[1])])
        );
        for (const [name, code] of Object.entries(ApprenticeErrorCodes)) {
            assert.equal(
                isReservedErrorCode(code),
                false,
                `${name} = ${code} lies in a reserved range`
            );
            assert.equal(
                rows.get(name),
                code,
                `docs/protocol.md lists ${name} as ${rows.get(name)}, src/shared/protocolErrors.ts as ${code}`
            );
        }
        assert.equal(
            rows.size,
            Object.keys(ApprenticeErrorCodes).length,
            "every documented code exists"
        );
        assert.equal(
            new Set(Object.values(ApprenticeErrorCodes)).size,
            Object.keys(ApprenticeErrorCodes).length,
            "codes are unique"
        );
    });
});
