import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { checkGgufHeader } from "../../src/engine/modelHost/ggufHeader";

function header(magic: string, version: number, tensors: bigint, kvs: bigint): Uint8Array {
    const b = Buffer.alloc(24);
    b.write(magic, 0, "latin1");
    b.writeUInt32LE(version, 4);
    b.writeBigUInt64LE(tensors, 8);
    b.writeBigUInt64LE(kvs, 16);
    return b;
}

describe("checkGgufHeader", () => {
    it("accepts a version 3 header", () => {
        const r = checkGgufHeader(header("GGUF", 3, 291n, 24n));
        assert.deepEqual(r, { ok: true, version: 3, tensorCount: 291n, kvCount: 24n });
    });
    it("rejects short input", () => {
        const r = checkGgufHeader(new Uint8Array(10));
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, "tooShort");
    });
    it("rejects another signature (for example a safetensors or zip file)", () => {
        const r = checkGgufHeader(header("PK\x03\x04", 3, 1n, 1n));
        assert.equal(!r.ok && r.reason, "badMagic");
    });
    it("rejects unknown versions", () => {
        assert.equal(checkGgufHeader(header("GGUF", 1, 1n, 1n)).ok, false);
        assert.equal(checkGgufHeader(header("GGUF", 4, 1n, 1n)).ok, false);
    });
    it("rejects absurd counts that would make a parser allocate without bound", () => {
        const r = checkGgufHeader(header("GGUF", 3, 1n << 50n, 3n));
        assert.equal(!r.ok && r.reason, "absurdCounts");
    });
});
