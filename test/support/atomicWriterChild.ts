/**
 * A child process for the crash test of `AtomicJsonFile`: saves large documents to one file in a
 * tight loop through the real module until it is killed. `node atomicWriterChild.js <file> <firstSeq>`
 * prints "saved <seq>" after each completed save. `crashValue(seq)` is the exact value saved as number seq.
 */
import { AtomicJsonFile } from "../../src/extension/storage/atomicJsonFile";

export interface CrashValue {
    seq: number;
    lines: string[];
}

/** About 1 MB, different for every seq, so a torn or mixed write cannot equal any complete value. */
export function crashValue(seq: number): CrashValue {
    const lines: string[] = [];
    for (let i = 0; i < 8_000; i++)
        lines.push(`${seq}:${i}:${"abcdefghijklmnopqrstuvwxyz0123456789".repeat(3)}`);
    return { seq, lines };
}

export function parseCrashValue(data: unknown): CrashValue {
    const value = data as CrashValue;
    if (typeof value?.seq !== "number" || !Array.isArray(value.lines))
        throw new Error("not a crash value");
    return value;
}

export function crashFile(file: string): AtomicJsonFile<CrashValue> {
    return new AtomicJsonFile<CrashValue>({
        file,
        version: 1,
        parse: parseCrashValue,
        empty: () => ({ seq: -1, lines: [] })
    });
}

async function main(file: string, first: number): Promise<void> {
    const store = crashFile(file);
    for (let seq = first; ; seq++) {
        await store.save(crashValue(seq));
        process.stdout.write(`saved ${seq}\n`);
    }
}

// Tests bundle this file too: run only when it is the script node was started with.
if (/atomicWriterChild\.js$/.test(process.argv[1] ?? ""))
    void main(process.argv[2], Number(process.argv[3]));
