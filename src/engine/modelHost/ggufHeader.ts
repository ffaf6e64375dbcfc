/**
 * The first 24 bytes of a GGUF file, checked in JavaScript before any native code sees the file.
 * Layout: magic "GGUF", uint32 version, uint64 tensor count, uint64 metadata key/value count.
 */
export const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian uint32
export const GGUF_HEADER_BYTES = 24;

export type HeaderCheck =
    | { ok: true; version: number; tensorCount: bigint; kvCount: bigint }
    | {
          ok: false;
          reason: "tooShort" | "badMagic" | "badVersion" | "absurdCounts";
          detail: string;
      };

export function checkGgufHeader(bytes: Uint8Array): HeaderCheck {
    if (bytes.length < GGUF_HEADER_BYTES) {
        return {
            ok: false,
            reason: "tooShort",
            detail: `the file has ${bytes.length} bytes, a GGUF header needs ${GGUF_HEADER_BYTES}`
        };
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== GGUF_MAGIC) {
        return {
            ok: false,
            reason: "badMagic",
            detail: "it does not start with the GGUF signature"
        };
    }
    const version = view.getUint32(4, true);
    if (version < 2 || version > 3) {
        return {
            ok: false,
            reason: "badVersion",
            detail: `GGUF version ${version} is not supported (2 and 3 are)`
        };
    }
    const tensorCount = view.getBigUint64(8, true);
    const kvCount = view.getBigUint64(16, true);
    // Real models have at most tens of thousands of tensors and a few hundred metadata keys.
    if (tensorCount > 1_000_000n || kvCount > 100_000n) {
        return {
            ok: false,
            reason: "absurdCounts",
            detail: `the header claims ${tensorCount} tensors and ${kvCount} metadata keys`
        };
    }
    return { ok: true, version, tensorCount, kvCount };
}
