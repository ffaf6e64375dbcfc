import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import {
    existsSync,
    mkdtempSync,
    readFileSync,
    readdirSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { downloadFile, KEEP_PARTIAL, partPath } from "../../src/engine/models/downloader";
import { DownloadError } from "../../src/engine/models/downloadErrors";
import { ModelServer } from "../support/modelServer";
import { modelsDir, requireModel } from "../support/models";

const SOURCE = requireModel("tiny-fim-random.gguf");
const SIZE = statSync(SOURCE).size;
/** The published checksum, read from the models folder's SHA256SUMS. */
const SHA = readFileSync(path.join(modelsDir(), "SHA256SUMS"), "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find(([, name]) => name === "tiny-fim-random.gguf")![0]!;

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<DownloadError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof DownloadError, `expected a DownloadError, got ${String(error)}`);
        assert.equal(error.code, code, error.message);
        assert.ok(error.action.length > 0);
        return error;
    }
    assert.fail(`expected ${code}`);
}

describe("downloader against a local HTTP server", () => {
    let server: ModelServer;
    let dir: string;
    let dest: string;
    const url = () => `${server.base}/org/repo/resolve/main/model.gguf`;

    /** 1 MiB of junk, as a bad mirror served it for the 0.5B model. */
    const junkDir = mkdtempSync(path.join(os.tmpdir(), "apprentice-junk-"));
    const JUNK = path.join(junkDir, "junk.gguf");
    const junkUrl = () => `${server.base}/org/repo/resolve/main/junk.gguf`;
    before(async () => {
        writeFileSync(JUNK, randomBytes(1024 * 1024));
        server = await ModelServer.start({
            "/org/repo/resolve/main/model.gguf": SOURCE,
            "/org/repo/resolve/main/junk.gguf": JUNK
        });
    });
    after(async () => {
        await server.close();
        rmSync(junkDir, { recursive: true, force: true });
    });
    beforeEach(() => {
        server.behaviour = {};
        server.requests.length = 0;
        dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-dl-"));
        dest = path.join(dir, "model.gguf");
    });

    it("downloads the whole file with progress, checks the checksum and moves it into place", async () => {
        const events: { receivedBytes: number; totalBytes: number }[] = [];
        const outcome = await downloadFile({
            url: url(),
            dest,
            sha256: SHA,
            onProgress: (p) => events.push(p),
            progressIntervalMs: 0
        });
        assert.equal(outcome.sha256, SHA);
        assert.equal(outcome.bytes, SIZE);
        assert.equal(outcome.resumedFrom, 0);
        assert.deepEqual(readFileSync(dest), readFileSync(SOURCE));
        assert.ok(!existsSync(partPath(dest)), "no part file is left");
        assert.ok(events.length >= 3, `progress events: ${events.length}`);
        assert.equal(events.at(-1)!.receivedBytes, SIZE);
        assert.ok(events.every((e) => e.totalBytes === SIZE));
        assert.ok(
            events.every((e, i) => i === 0 || e.receivedBytes >= events[i - 1]!.receivedBytes)
        );
        rmSync(dir, { recursive: true });
    });

    it("resumes with a Range request after the connection is cut, to the same checksum", async () => {
        server.behaviour = { cutAfterBytes: Math.floor(SIZE / 3) };
        const first = await rejectsWith(
            downloadFile({ url: url(), dest, sha256: SHA }),
            "interrupted"
        );
        assert.match(first.message, /interrupted/);
        assert.ok(!existsSync(dest), "an incomplete file is never at the final name");
        const partial = statSync(partPath(dest)).size;
        assert.ok(partial > 0 && partial < SIZE, `part has ${partial} bytes`);
        const outcome = await downloadFile({ url: url(), dest, sha256: SHA });
        assert.equal(outcome.resumedFrom, partial);
        assert.equal(outcome.sha256, SHA);
        assert.equal(server.requests.at(-1)!.range, `bytes=${partial}-`);
        assert.deepEqual(readFileSync(dest), readFileSync(SOURCE));
        rmSync(dir, { recursive: true });
    });

    it("starts over when the server refuses Range", async () => {
        server.behaviour = { cutAfterBytes: Math.floor(SIZE / 2) };
        await rejectsWith(downloadFile({ url: url(), dest }), "interrupted");
        server.behaviour = { noRange: true };
        const outcome = await downloadFile({ url: url(), dest, sha256: SHA });
        assert.equal(outcome.resumedFrom, 0);
        assert.equal(outcome.bytes, SIZE);
        assert.equal(outcome.sha256, SHA);
        rmSync(dir, { recursive: true });
    });

    it("rejects a wrong checksum and leaves no file that could be loaded", async () => {
        const wrong = "0".repeat(64);
        const error = await rejectsWith(
            downloadFile({ url: url(), dest, sha256: wrong }),
            "checksumMismatch"
        );
        assert.match(error.message, new RegExp(SHA));
        assert.deepEqual(readdirSync(dir), []);
        rmSync(dir, { recursive: true });
    });

    it("names a missing file (404) and an unreachable server", async () => {
        await rejectsWith(
            downloadFile({ url: `${server.base}/org/repo/resolve/main/missing.gguf`, dest }),
            "notFound"
        );
        // A port nobody listens on, on loopback: connection refused.
        const closed = await ModelServer.start({});
        const deadBase = closed.base;
        await closed.close();
        const offline = await rejectsWith(
            downloadFile({ url: `${deadBase}/x.gguf`, dest }),
            "offline"
        );
        assert.match(offline.message, /ECONNREFUSED/);
        assert.deepEqual(readdirSync(dir), []);
        rmSync(dir, { recursive: true });
    });

    it("cancels mid-way and leaves nothing behind", async () => {
        server.behaviour = { throttleBytesPer10ms: 64 * 1024 };
        const abort = new AbortController();
        let seen = 0;
        const promise = downloadFile({
            url: url(),
            dest,
            signal: abort.signal,
            progressIntervalMs: 0,
            onProgress: (p) => {
                seen = p.receivedBytes;
                if (p.receivedBytes > 256 * 1024) abort.abort();
            }
        });
        await rejectsWith(promise, "cancelled");
        assert.ok(seen > 0 && seen < SIZE, `cancelled after ${seen} bytes`);
        assert.deepEqual(readdirSync(dir), []);
        rmSync(dir, { recursive: true });
    });

    it("a shutdown (not a user cancel) keeps the part, and the next download resumes from it", async () => {
        server.behaviour = { throttleBytesPer10ms: 64 * 1024 };
        const abort = new AbortController();
        await rejectsWith(
            downloadFile({
                url: url(),
                dest,
                signal: abort.signal,
                progressIntervalMs: 0,
                onProgress: (p) => {
                    if (p.receivedBytes > 256 * 1024) abort.abort(KEEP_PARTIAL);
                }
            }),
            "cancelled"
        );
        const partial = statSync(partPath(dest)).size;
        assert.ok(partial > 0 && partial < SIZE);
        server.behaviour = {};
        const outcome = await downloadFile({ url: url(), dest, sha256: SHA });
        assert.equal(outcome.resumedFrom, partial);
        assert.equal(outcome.sha256, SHA);
        rmSync(dir, { recursive: true });
    });

    it(
        "names a disk that fills up mid-download (a real ENOSPC from /dev/full)",
        { skip: !existsSync("/dev/full") && "no /dev/full here" },
        async () => {
            symlinkSync("/dev/full", partPath(dest));
            const error = await rejectsWith(downloadFile({ url: url(), dest }), "diskFull");
            assert.match(error.action, /apprentice\.modelsFolder/);
            assert.ok(!existsSync(dest), "nothing at the final name");
            rmSync(dir, { recursive: true });
        }
    );

    it("refuses plain http to another machine before any request (https, or http only on loopback)", async () => {
        for (const bad of [
            "http://mirror.example/org/repo/resolve/main/model.gguf",
            "http://10.0.0.7:8080/m.gguf",
            "ftp://mirror.example/m.gguf",
            "file:///etc/passwd",
            "not a url"
        ]) {
            const error = await rejectsWith(downloadFile({ url: bad, dest }), "insecureUrl");
            assert.match(error.action, /https/);
        }
        assert.deepEqual(readdirSync(dir), []);
        rmSync(dir, { recursive: true });
    });

    it("refuses a file far from the catalog's approximate size, even without Content-Length, and leaves nothing", async () => {
        server.behaviour = { noContentLength: true };
        const error = await rejectsWith(
            downloadFile({
                url: junkUrl(),
                dest,
                expectedSize: { bytes: 531_000_000, exact: false }
            }),
            "sizeMismatch"
        );
        assert.match(error.message, /1048576 bytes.*about 531000000/);
        assert.deepEqual(readdirSync(dir), [], "no file and no part");
        rmSync(dir, { recursive: true });
    });

    it("refuses a file of another size than the catalog's exact size: announced (before reading) or sent (stops reading)", async () => {
        const announced = await rejectsWith(
            downloadFile({ url: url(), dest, expectedSize: { bytes: SIZE - 4096, exact: true } }),
            "sizeMismatch"
        );
        assert.match(announced.message, /announces/);
        server.behaviour = { noContentLength: true, throttleBytesPer10ms: 256 * 1024 };
        let received = 0;
        const sent = await rejectsWith(
            downloadFile({
                url: url(),
                dest,
                progressIntervalMs: 0,
                onProgress: (p) => {
                    received = p.receivedBytes;
                },
                expectedSize: { bytes: 2 * 1024 * 1024, exact: true }
            }),
            "sizeMismatch"
        );
        assert.match(sent.message, /sends/);
        assert.ok(
            received <= 3 * 1024 * 1024,
            `stopped reading after ${received} of ${SIZE} bytes`
        );
        const short = await rejectsWith(
            downloadFile({ url: url(), dest, expectedSize: { bytes: SIZE + 1, exact: true } }),
            "sizeMismatch"
        );
        assert.match(short.message, new RegExp(`${SIZE} bytes`));
        assert.deepEqual(readdirSync(dir), []);
        const ok = await downloadFile({
            url: url(),
            dest,
            sha256: SHA,
            expectedSize: { bytes: SIZE, exact: true }
        });
        assert.equal(ok.bytes, SIZE);
        rmSync(dir, { recursive: true });
    });

    it("checks the GGUF structure before the file is moved into place: junk of the right size is refused", async () => {
        const error = await rejectsWith(
            downloadFile({
                url: junkUrl(),
                dest,
                expectedSize: { bytes: 1024 * 1024, exact: true }
            }),
            "notGguf"
        );
        assert.match(error.message, /GGUF/);
        assert.deepEqual(readdirSync(dir), [], "the part file was deleted");
        rmSync(dir, { recursive: true });
    });

    it("refuses to start when the disk is too full, before any request", async () => {
        const error = await rejectsWith(
            downloadFile({
                url: url(),
                dest,
                expectedBytes: SIZE,
                freeBytes: async () => 1024 * 1024
            }),
            "diskFull"
        );
        assert.match(error.message, /disk space/);
        assert.equal(server.requests.length, 0);
        // Without a catalog size, the server's Content-Length is checked before writing.
        await rejectsWith(
            downloadFile({ url: url(), dest, freeBytes: async () => 1024 * 1024 }),
            "diskFull"
        );
        assert.deepEqual(readdirSync(dir), []);
        rmSync(dir, { recursive: true });
    });
});
