/** Builds broken model files from a good GGUF, in a temporary folder. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface BrokenModel {
    name: string;
    path: string;
    /** The error code the engine must report. */
    expected: string;
}

/** Replaces the value of the GGUF string key `general.architecture` with one of the same length. */
export function renameArchitecture(gguf: Buffer, replacement: string): Buffer {
    const key = Buffer.from("general.architecture");
    const at = gguf.indexOf(key);
    if (at < 0) throw new Error("general.architecture not found");
    // key bytes, then uint32 type (8 = string), then uint64 length, then the bytes
    const lenAt = at + key.length + 4;
    const len = Number(gguf.readBigUInt64LE(lenAt));
    if (replacement.length !== len) throw new Error(`replacement must have ${len} characters`);
    const copy = Buffer.from(gguf);
    copy.write(replacement, lenAt + 8, "utf8");
    return copy;
}

export function makeBrokenModels(goodModel: string): {
    dir: string;
    models: BrokenModel[];
    dispose(): void;
} {
    const dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-broken-"));
    const good = readFileSync(goodModel);
    const models: BrokenModel[] = [];
    const add = (name: string, expected: string, bytes?: Buffer) => {
        const file = path.join(dir, name);
        if (bytes) writeFileSync(file, bytes);
        models.push({ name, path: file, expected });
    };
    add("missing.gguf", "fileNotFound");
    mkdirSync(path.join(dir, "folder.gguf"));
    models.push({ name: "folder.gguf", path: path.join(dir, "folder.gguf"), expected: "notAFile" });
    add("empty.gguf", "notGguf", Buffer.alloc(0));
    add("text.gguf", "notGguf", Buffer.from("this is not a model\n".repeat(100)));
    add("truncated-half.gguf", "truncated", good.subarray(0, Math.floor(good.length / 2)));
    add("truncated-end.gguf", "truncated", good.subarray(0, good.length - 1000));
    const badVersion = Buffer.from(good);
    badVersion.writeUInt32LE(99, 4);
    add("bad-version.gguf", "notGguf", badVersion);
    const absurd = Buffer.from(good);
    absurd.writeBigUInt64LE(1n << 40n, 8);
    add("absurd-tensor-count.gguf", "corrupt", absurd);
    const garbled = Buffer.from(good);
    for (let i = 24; i < 4096; i++) garbled[i] = (i * 131 + 7) & 0xff;
    add("garbled-metadata.gguf", "corrupt", garbled);
    add("unknown-arch.gguf", "unsupportedArchitecture", renameArchitecture(good, "qwzrt"));
    return { dir, models, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
