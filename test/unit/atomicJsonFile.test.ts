/** AtomicJsonFile on real files in a temporary folder, including a writer process killed mid-save. */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    writeFileSync
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
    AtomicJsonFile,
    JsonFileClosedError,
    JsonFileTooLargeError,
    JsonFileWriteError
} from "../../src/extension/storage/atomicJsonFile";
import { crashFile, crashValue } from "../support/atomicWriterChild";

interface Doc {
    name: string;
    items: number[];
}
const parseDoc = (data: unknown): Doc => {
    const d = data as Doc;
    if (
        typeof d?.name !== "string" ||
        !Array.isArray(d.items) ||
        !d.items.every((n) => typeof n === "number")
    )
        throw new Error("not a Doc");
    return { name: d.name, items: d.items };
};
const root = mkdtempSync(path.join(tmpdir(), "apprentice-atomic-"));
let folders = 0;
const freshFile = () => path.join(root, `case-${++folders}`, "doc.json");
const docFile = (
    file: string,
    extra: Partial<ConstructorParameters<typeof AtomicJsonFile<Doc>>[0]> = {}
) =>
    new AtomicJsonFile<Doc>({
        file,
        version: 1,
        parse: parseDoc,
        empty: () => ({ name: "", items: [] }),
        ...extra
    });

after(() => rmSync(root, { recursive: true, force: true }));

describe("AtomicJsonFile", () => {
    it("round trip: saves, and a new instance reads the same value with the version", async () => {
        const file = freshFile();
        await docFile(file).save({ name: "a", items: [1, 2, 3] });
        const loaded = await docFile(file).load();
        assert.deepEqual(loaded.value, { name: "a", items: [1, 2, 3] });
        assert.equal(loaded.corrupt, undefined);
        assert.equal(JSON.parse(readFileSync(file, "utf8")).version, 1);
        assert.deepEqual(
            readdirSync(path.dirname(file)),
            ["doc.json"],
            "no temporary file is left"
        );
    });

    it("a missing file gives the empty value and no report", async () => {
        const loaded = await docFile(freshFile()).load();
        assert.deepEqual(loaded.value, { name: "", items: [] });
        assert.equal(loaded.corrupt, undefined);
    });

    const damaged: [string, (file: string) => Buffer][] = [
        ["truncated JSON", (file) => readFileSync(file).subarray(0, 20)],
        [
            "binary garbage",
            () => Buffer.from([0, 159, 146, 150, 0xff, 0xfe, 0, 1, 2, 3, 0x7b, 0x22])
        ],
        ["valid JSON of the wrong shape (no envelope)", () => Buffer.from("[1, 2, 3]")],
        [
            "valid envelope, data of the wrong shape",
            () => Buffer.from(JSON.stringify({ version: 1, data: { name: 5, items: "x" } }))
        ],
        [
            "a newer format version",
            () => Buffer.from(JSON.stringify({ version: 2, data: { name: "x", items: [] } }))
        ],
        ["an empty file", () => Buffer.alloc(0)],
        ["JSON null", () => Buffer.from("null")]
    ];
    for (const [what, bytes] of damaged) {
        it(`${what}: moved aside unchanged, empty value returned and reported, saving works again`, async () => {
            const file = freshFile();
            await docFile(file).save({ name: "before", items: [1] });
            const content = bytes(file);
            writeFileSync(file, content);
            const store = docFile(file);
            const loaded = await store.load();
            assert.deepEqual(loaded.value, { name: "", items: [] });
            assert.ok(loaded.corrupt, "the damage is reported");
            assert.equal(loaded.corrupt.file, file);
            assert.ok(loaded.corrupt.reason.length > 0);
            const movedTo = loaded.corrupt.movedTo;
            assert.ok(movedTo, "it was moved aside");
            assert.match(
                path.basename(movedTo),
                /^doc\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z(-\d+)?\.json$/
            );
            assert.deepEqual(
                readFileSync(movedTo),
                content,
                "the damaged file is kept byte for byte"
            );
            assert.equal(existsSync(file), false);
            await store.save({ name: "after", items: [2] });
            assert.deepEqual((await docFile(file).load()).value, { name: "after", items: [2] });
        });
    }

    it("an unreadable file (a folder in its place) is moved aside too, not replaced", async () => {
        const file = freshFile();
        mkdirSync(file, { recursive: true });
        writeFileSync(path.join(file, "inside.txt"), "keep me");
        const store = docFile(file);
        const loaded = await store.load();
        assert.ok(loaded.corrupt?.movedTo, "moved aside");
        assert.match(loaded.corrupt.reason, /could not be read/);
        assert.equal(
            readFileSync(path.join(loaded.corrupt.movedTo, "inside.txt"), "utf8"),
            "keep me"
        );
        await store.save({ name: "new", items: [] });
        assert.equal((await docFile(file).load()).value.name, "new");
    });

    it("a second damaged file in the same moment does not overwrite the first one set aside", async () => {
        const file = freshFile();
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, "one{");
        const first = await docFile(file).load();
        writeFileSync(file, "two{");
        const second = await docFile(file).load();
        assert.ok(first.corrupt?.movedTo && second.corrupt?.movedTo);
        assert.notEqual(first.corrupt.movedTo, second.corrupt.movedTo);
        assert.equal(readFileSync(first.corrupt.movedTo, "utf8"), "one{");
        assert.equal(readFileSync(second.corrupt.movedTo, "utf8"), "two{");
    });

    it("concurrent saves end with the last value and coalesce into fewer writes", async () => {
        const file = freshFile();
        const store = docFile(file);
        const saves = Array.from({ length: 40 }, (_, i) =>
            store.save({ name: `v${i}`, items: [i] })
        );
        await Promise.all(saves);
        assert.deepEqual((await docFile(file).load()).value, { name: "v39", items: [39] });
        assert.ok(store.writes < 40 && store.writes >= 2, `40 saves took ${store.writes} writes`);
    });

    it("cleans temporary files of dead processes at load, keeps its own and other files'", async () => {
        const file = freshFile();
        await docFile(file).save({ name: "x", items: [] });
        const dir = path.dirname(file);
        const dead = path.join(dir, "doc.json.999999999-deadbeef.tmp");
        const mine = path.join(dir, `doc.json.${process.pid}-0badf00d.tmp`);
        const other = path.join(dir, "other.json.999999999-deadbeef.tmp");
        for (const f of [dead, mine, other]) writeFileSync(f, '{"partial');
        const loaded = await docFile(file).load();
        assert.equal(loaded.removedTemporaryFiles, 1);
        assert.equal(existsSync(dead), false);
        assert.ok(existsSync(mine) && existsSync(other));
        assert.deepEqual(loaded.value, { name: "x", items: [] });
    });

    it("refuses a value over maxBytes with a named error and keeps the file", async () => {
        const file = freshFile();
        const store = docFile(file, { maxBytes: 1000 });
        await store.save({ name: "small", items: [] });
        await assert.rejects(
            store.save({ name: "x".repeat(2000), items: [] }),
            JsonFileTooLargeError
        );
        assert.equal((await docFile(file).load()).value.name, "small");
    });

    it("a failing write rejects with JsonFileWriteError and leaves the previous value", async () => {
        const file = freshFile();
        await docFile(file).save({ name: "kept", items: [] });
        // A file where the folder should be: mkdir fails whoever runs the test (root ignores permissions).
        const blocked = path.join(path.dirname(file), "not-a-folder");
        writeFileSync(blocked, "");
        await assert.rejects(
            docFile(path.join(blocked, "doc.json")).save({ name: "y", items: [] }),
            JsonFileWriteError
        );
        assert.equal((await docFile(file).load()).value.name, "kept");
    });

    it("dispose writes what is pending, then refuses saves; an abort drops saves not yet started", async () => {
        const file = freshFile();
        const store = docFile(file);
        void store.save({ name: "1", items: [] });
        void store.save({ name: "2", items: [] });
        await store.dispose();
        assert.equal((await docFile(file).load()).value.name, "2");
        await assert.rejects(store.save({ name: "3", items: [] }), JsonFileClosedError);

        const controller = new AbortController();
        const aborted = docFile(file, { signal: controller.signal });
        const first = aborted.save({ name: "4", items: [] });
        const dropped = assert.rejects(aborted.save({ name: "5", items: [] }), JsonFileClosedError);
        controller.abort();
        await first;
        await dropped;
        assert.equal((await docFile(file).load()).value.name, "4");
    });

    it("a writer killed with SIGKILL at random moments never leaves a partial file", async () => {
        const kills = Number(process.env.APPRENTICE_CRASH_KILLS ?? 30);
        const file = freshFile();
        const child = path.join(__dirname, "../support/atomicWriterChild.js");
        let seq = 0;
        let midWrite = 0;
        let totalSaves = 0;
        for (let k = 0; k < kills; k++) {
            const proc = spawn(process.execPath, [child, file, String(seq)], {
                stdio: ["ignore", "pipe", "inherit"]
            });
            let saved = 0;
            let lastSaved = -1;
            proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
                for (const m of chunk.matchAll(/saved (\d+)/g)) {
                    saved++;
                    lastSaved = Number(m[1]);
                }
            });
            const exited = new Promise<NodeJS.Signals | null>((resolve) =>
                proc.on("close", (_code, signal) => resolve(signal))
            );
            // "close" comes after the last "saved" line was read. Wait until it is in its loop (at least one save done), then kill at a random moment.
            const started = Date.now();
            while (saved === 0 && Date.now() - started < 60_000 && proc.exitCode === null)
                await new Promise((r) => setTimeout(r, 5));
            assert.ok(saved > 0, "the writer saved at least once");
            await new Promise((r) => setTimeout(r, Math.random() * 150));
            proc.kill("SIGKILL");
            assert.equal(await exited, "SIGKILL");
            totalSaves += saved;
            if (readdirSync(path.dirname(file)).some((f) => f.endsWith(".tmp"))) midWrite++;
            const loaded = await crashFile(file).load();
            assert.equal(
                loaded.corrupt,
                undefined,
                `kill ${k + 1}: the file is damaged: ${loaded.corrupt?.reason}`
            );
            const value = loaded.value;
            assert.ok(
                value.seq >= lastSaved && value.seq <= lastSaved + 1 && value.seq >= seq,
                `kill ${k + 1}: seq ${value.seq}, last reported ${lastSaved}`
            );
            assert.deepEqual(
                value,
                crashValue(value.seq),
                `kill ${k + 1}: the file is exactly a complete value`
            );
            assert.equal(
                readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp")).length,
                0,
                "load removed the dead writer's temporary file"
            );
            seq = value.seq + 1_000;
        }
        console.log(
            `crash test: ${kills} SIGKILLs, ${midWrite} of them left a temporary file (killed mid-save), ${totalSaves} complete saves of ~${Math.round(JSON.stringify(crashValue(0)).length / 1024)} KiB; the file was a complete value every time`
        );
        assert.ok(
            midWrite > 0,
            "at least one kill landed during a save (otherwise the test proves nothing)"
        );
    });
});
