/**
 * Walks a GGUF file's whole metadata and tensor table in JavaScript, with bounded reads, before
 * any native code sees it: every declared length, count, type, shape and tensor offset must make
 * sense and fit inside the file. A file cut short reports "truncated"; impossible values report
 * "corrupt". Layout (little-endian): header (24 bytes), key/value pairs, tensor infos, padding to
 * `general.alignment`, tensor data.
 */
import type { FileHandle } from "node:fs/promises";
import { GGUF_HEADER_BYTES } from "./ggufHeader";

export type StructureCheck =
    | { ok: true; dataOffset: number; tensorCount: number; alignment: number }
    | { ok: false; reason: "truncated" | "corrupt"; detail: string };

/** Bytes per block and elements per block of each ggml tensor type (ggml's type traits; 0 = removed type). */
export const GGML_TYPE_SIZES: readonly (readonly [typeSize: number, blockSize: number])[] = [
    [4, 1],
    [2, 1],
    [18, 32],
    [20, 32],
    [0, 0],
    [0, 0],
    [22, 32],
    [24, 32],
    [34, 32],
    [36, 32],
    [84, 256],
    [110, 256],
    [144, 256],
    [176, 256],
    [210, 256],
    [292, 256],
    [66, 256],
    [74, 256],
    [98, 256],
    [50, 256],
    [18, 32],
    [110, 256],
    [82, 256],
    [136, 256],
    [1, 1],
    [2, 1],
    [4, 1],
    [8, 1],
    [8, 1],
    [56, 256],
    [2, 1],
    [0, 0],
    [0, 0],
    [0, 0],
    [54, 256],
    [66, 256],
    [0, 0],
    [0, 0],
    [0, 0],
    [17, 32],
    [36, 64],
    [18, 128],
    [18, 64]
];

const MAX_KEY_BYTES = 65_535;
const MAX_TENSOR_NAME_BYTES = 65_535;
const MAX_DIMS = 4;
const MAX_ARRAY_DEPTH = 2;
/** Declared sizes above this are damage, not a big model. */
const ABSURD_BYTES = 2 ** 45;
const WINDOW_BYTES = 1 << 20;

/** Sizes of the fixed-size metadata value types 0..12 (8 = string and 9 = array are variable). */
export const VALUE_SIZES: Readonly<Record<number, number>> = {
    0: 1,
    1: 1,
    2: 2,
    3: 2,
    4: 4,
    5: 4,
    6: 4,
    7: 1,
    10: 8,
    11: 8,
    12: 8
};
const STRING = 8;
const ARRAY = 9;

class Damage extends Error {
    constructor(
        readonly reason: "truncated" | "corrupt",
        detail: string
    ) {
        super(detail);
    }
}

/** Reads forward through a file in bounded windows; never allocates more than a window or a key. */
class BoundedReader {
    private buffer = Buffer.alloc(0);
    private bufferStart = 0;
    pos = GGUF_HEADER_BYTES;

    constructor(
        private readonly handle: FileHandle,
        readonly size: number
    ) {}

    private async need(bytes: number, what: string): Promise<Buffer> {
        if (this.pos + bytes > this.size)
            throw new Damage(
                "truncated",
                `the file ends inside ${what} (at byte ${this.pos} of ${this.size})`
            );
        const from = this.pos - this.bufferStart;
        if (from >= 0 && from + bytes <= this.buffer.length) {
            this.pos += bytes;
            return this.buffer.subarray(from, from + bytes);
        }
        const length = Math.min(Math.max(bytes, WINDOW_BYTES), this.size - this.pos);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await this.handle.read(buffer, 0, length, this.pos);
        if (bytesRead < bytes) throw new Damage("truncated", `the file ends inside ${what}`);
        this.buffer = buffer.subarray(0, bytesRead);
        this.bufferStart = this.pos;
        this.pos += bytes;
        return this.buffer.subarray(0, bytes);
    }

    async u32(what: string): Promise<number> {
        return (await this.need(4, what)).readUInt32LE(0);
    }
    async u64(what: string): Promise<bigint> {
        return (await this.need(8, what)).readBigUInt64LE(0);
    }

    skip(bytes: number, what: string): void {
        if (this.pos + bytes > this.size)
            throw new Damage(
                "truncated",
                `the file ends inside ${what} (needs ${bytes} bytes at byte ${this.pos} of ${this.size})`
            );
        this.pos += bytes;
    }

    private async stringLength(what: string): Promise<number> {
        const length = await this.u64(`the length of ${what}`);
        if (length > BigInt(ABSURD_BYTES))
            throw new Damage("corrupt", `${what} claims ${length} bytes`);
        return Number(length);
    }

    /** A length-prefixed string of at most `max` bytes. */
    async string(what: string, max: number): Promise<string> {
        const n = await this.stringLength(what);
        if (n > max)
            throw new Damage("corrupt", `${what} claims ${n} bytes (at most ${max} expected)`);
        return (await this.need(n, what)).toString("utf8");
    }

    async skipString(what: string): Promise<void> {
        this.skip(await this.stringLength(what), what);
    }

    /**
     * Skips `count` strings (a tokenizer's vocabulary has 30,000-150,000): lengths are read
     * straight from the window, awaiting only to refill it, which keeps a big vocabulary at a few
     * milliseconds.
     */
    async skipStrings(count: number, what: string): Promise<void> {
        for (let i = 0; i < count; i++) {
            const from = this.pos - this.bufferStart;
            if (from >= 0 && from + 8 <= this.buffer.length) {
                const length = this.buffer.readBigUInt64LE(from);
                if (length > BigInt(ABSURD_BYTES))
                    throw new Damage("corrupt", `an item of ${what} claims ${length} bytes`);
                this.pos += 8;
                this.skip(Number(length), what);
            } else {
                await this.skipString(what);
            }
        }
    }
}

export async function checkGgufStructure(
    handle: FileHandle,
    fileSize: number,
    tensorCount: bigint,
    kvCount: bigint
): Promise<StructureCheck> {
    const reader = new BoundedReader(handle, fileSize);
    try {
        let alignment = 32;
        for (let i = 0n; i < kvCount; i++) {
            const key = await reader.string(`metadata key ${i}`, MAX_KEY_BYTES);
            const type = await reader.u32(`the type of ${key}`);
            if (key === "general.alignment") {
                if (type !== 4)
                    throw new Damage(
                        "corrupt",
                        `general.alignment has value type ${type}, not uint32`
                    );
                alignment = await reader.u32("general.alignment");
                if (alignment === 0 || (alignment & (alignment - 1)) !== 0 || alignment > 1 << 20)
                    throw new Damage(
                        "corrupt",
                        `general.alignment is ${alignment}, not a power of two`
                    );
            } else {
                await skipValue(reader, type, `metadata value ${key}`, 0);
            }
        }
        const names = new Set<string>();
        const tensors: { name: string; offset: bigint; bytes: bigint | undefined }[] = [];
        for (let i = 0n; i < tensorCount; i++) {
            const name = await reader.string(`the name of tensor ${i}`, MAX_TENSOR_NAME_BYTES);
            if (names.has(name)) throw new Damage("corrupt", `tensor ${name} appears twice`);
            names.add(name);
            const dims = await reader.u32(`the dimensions of ${name}`);
            if (dims < 1 || dims > MAX_DIMS)
                throw new Damage("corrupt", `tensor ${name} has ${dims} dimensions`);
            const shape: bigint[] = [];
            for (let d = 0; d < dims; d++) shape.push(await reader.u64(`the shape of ${name}`));
            const type = await reader.u32(`the type of ${name}`);
            const offset = await reader.u64(`the offset of ${name}`);
            tensors.push({ name, offset, bytes: tensorBytes(name, shape, type) });
        }
        const dataOffset = Math.ceil(reader.pos / alignment) * alignment;
        const dataBytes = BigInt(Math.max(0, fileSize - dataOffset));
        let needed = 0n;
        for (const t of tensors) {
            if (t.offset % BigInt(alignment) !== 0n)
                throw new Damage(
                    "corrupt",
                    `tensor ${t.name} starts at ${t.offset}, not a multiple of the alignment ${alignment}`
                );
            const end = t.offset + (t.bytes ?? 0n);
            if (end > BigInt(ABSURD_BYTES))
                throw new Damage("corrupt", `tensor ${t.name} claims to end at byte ${end}`);
            if (end > needed) needed = end;
        }
        if (needed > dataBytes) {
            throw new Damage(
                "truncated",
                `the tensors need ${BigInt(dataOffset) + needed} bytes but the file has ${fileSize}`
            );
        }
        return { ok: true, dataOffset, tensorCount: tensors.length, alignment };
    } catch (error) {
        if (error instanceof Damage)
            return { ok: false, reason: error.reason, detail: error.message };
        throw error;
    }
}

async function skipValue(
    reader: BoundedReader,
    type: number,
    what: string,
    depth: number
): Promise<void> {
    const fixed = VALUE_SIZES[type];
    if (fixed !== undefined) return reader.skip(fixed, what);
    if (type === STRING) return reader.skipString(what);
    if (type !== ARRAY) throw new Damage("corrupt", `${what} has the unknown value type ${type}`);
    if (depth >= MAX_ARRAY_DEPTH) throw new Damage("corrupt", `${what} nests arrays too deeply`);
    const itemType = await reader.u32(`the item type of ${what}`);
    const count = await reader.u64(`the length of ${what}`);
    const itemFixed = VALUE_SIZES[itemType];
    const minItemBytes = itemFixed ?? 8; // a string or an array takes at least its 8-byte length
    if (itemFixed === undefined && itemType !== STRING && itemType !== ARRAY)
        throw new Damage("corrupt", `${what} holds items of the unknown type ${itemType}`);
    if (count * BigInt(minItemBytes) > BigInt(ABSURD_BYTES))
        throw new Damage("corrupt", `${what} claims ${count} items`);
    if (itemFixed !== undefined) return reader.skip(Number(count) * itemFixed, what);
    if (itemType === STRING) return reader.skipStrings(Number(count), what);
    for (let i = 0n; i < count; i++) await skipValue(reader, itemType, what, depth + 1);
}

function tensorBytes(name: string, shape: bigint[], type: number): bigint {
    const traits = GGML_TYPE_SIZES[type];
    if (!traits || traits[0] === 0)
        throw new Damage("corrupt", `tensor ${name} has the unknown or removed type ${type}`);
    const [typeSize, blockSize] = traits;
    let elements = 1n;
    for (const n of shape) {
        elements *= n;
        if (elements > BigInt(ABSURD_BYTES))
            throw new Damage("corrupt", `tensor ${name} has the shape [${shape.join(", ")}]`);
    }
    if (shape[0] % BigInt(blockSize) !== 0n)
        throw new Damage(
            "corrupt",
            `tensor ${name}'s first dimension ${shape[0]} is not a multiple of its block size ${blockSize}`
        );
    return (elements / BigInt(blockSize)) * BigInt(typeSize);
}
