import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { DidChangeWatchedFilesNotification, FileChangeType } from "vscode-languageserver-protocol";
import {
    WorkspaceIndexConfigureNotification,
    WorkspaceIndexProgressNotification,
    WorkspaceSearchRequest,
    type WorkspaceIndexProgress
} from "../../src/shared/workspaceIndexProtocol";
import { EngineProcess } from "../support/engineProcess";

/** A small project with one known answer file and files the index must never read. */
const FILES: Record<string, string> = {
    "src/auth/tokenStore.ts": [
        'import { readFile } from "node:fs/promises";',
        "",
        "/** Keeps the access token of the signed-in user. */",
        "export class TokenStore {",
        '    private token = "";',
        "    get current(): string { return this.token; }",
        "}",
        "",
        "/** Asks the identity server for a new access token before the old one expires. */",
        "export async function refreshAccessToken(store: TokenStore, endpoint: string): Promise<string> {",
        '    const response = await fetch(endpoint, { method: "POST" });',
        "    const body = await response.json() as { token: string };",
        "    return body.token;",
        "}",
        ""
    ].join("\n"),
    "src/app.ts":
        'import { refreshAccessToken } from "./auth/tokenStore";\n\nexport async function main(): Promise<void> {\n    await refreshAccessToken(store, url);\n}\n',
    "README.md": "# Demo\n\nA demo project for the workspace index.\n",
    ".gitignore": "build/\n*.log\n",
    "build/generated.ts": "export function refreshAccessToken() { /* generated copy */ }\n",
    "debug.log": "refreshAccessToken failed\n",
    ".env": "REFRESH_ACCESS_TOKEN_SECRET=refreshAccessToken-hunter2\n",
    "keys/server.pem": "-----BEGIN PRIVATE KEY----- refreshAccessToken\n",
    "snapshots/a.snap": "refreshAccessToken snapshot\n",
    "node_modules/lib/index.js": "function refreshAccessToken() {}\n"
};

const ROUND_TIME = 1_700_000_000;

describe("engine workspace index over JSON-RPC", () => {
    const root = mkdtempSync(path.join(tmpdir(), "apprentice-index-"));
    const workspace = path.join(root, "workspace");
    const storage = path.join(root, "storage");
    const indexFile = path.join(storage, "workspace-index.json");
    let engine: EngineProcess;
    let progress: WorkspaceIndexProgress[] = [];

    const start = async () => {
        engine = EngineProcess.spawn();
        progress = [];
        engine.connection.onNotification(WorkspaceIndexProgressNotification.type, (p) => {
            progress.push(p);
        });
        const init = await engine.initialize({});
        return init;
    };
    const configure = (enabled = true) =>
        engine.connection.sendNotification(WorkspaceIndexConfigureNotification.type, {
            enabled,
            folders: [workspace],
            storageFolder: storage,
            exclude: ["**/*.snap"]
        });
    const waitFor = async (what: string, predicate: () => boolean | Promise<boolean>) => {
        const deadline = Date.now() + 60_000;
        while (!(await predicate())) {
            if (Date.now() > deadline)
                throw new Error(
                    `Timed out waiting for ${what}; progress: ${JSON.stringify(progress.slice(-3))}\n${engine.logs.slice(-5).join("\n")}`
                );
            await new Promise((r) => setTimeout(r, 50));
        }
    };
    const waitReady = async (since: number) => {
        await waitFor("the index to be ready", () =>
            progress.slice(since).some((p) => p.state === "ready")
        );
        return progress.slice(since).find((p) => p.state === "ready")!;
    };
    const search = (query: string, limit = 5) =>
        engine.connection.sendRequest(WorkspaceSearchRequest.type, { query, limit });
    /** Tells the engine about changed files; resolves once it has applied them (it reports progress after each batch). */
    const changed = async (files: [string, FileChangeType][]) => {
        const since = progress.length;
        await engine.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
            changes: files.map(([file, type]) => ({
                uri: pathToFileURL(path.join(workspace, file)).href,
                type
            }))
        });
        await waitFor(
            "the changes to be applied",
            () => progress.length > since && progress[progress.length - 1].state === "ready"
        );
    };

    before(async () => {
        for (const [name, text] of Object.entries(FILES)) {
            await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
            await writeFile(path.join(workspace, name), text);
        }
        // Whole seconds, so that the tests below can give a file back exactly its old time.
        await utimes(path.join(workspace, "src/app.ts"), ROUND_TIME, ROUND_TIME);
        await writeFile(
            path.join(workspace, "logo.bin.txt"),
            Buffer.from([0x72, 0x65, 0x66, 0, 0, 1, 2])
        );
        await writeFile(
            path.join(workspace, "huge.ts"),
            `// refreshAccessToken\n${"x".repeat(1024 * 1024 + 10)}\n`
        );
        const init = await start();
        const methods = (init.capabilities.experimental as { apprentice: { methods: string[] } })
            .apprentice.methods;
        assert.ok(
            methods.includes(WorkspaceSearchRequest.method) &&
                methods.includes(WorkspaceIndexConfigureNotification.method),
            "the methods are announced in initialize"
        );
    });
    after(async () => {
        await engine.shutdown();
        await rm(root, { recursive: true, force: true });
    });

    it("builds on first configure (saying it is the first build) and finds the definition's chunk with its lines", async () => {
        await configure();
        const ready = await waitReady(0);
        assert.equal(progress[0].firstBuild, true);
        assert.equal(ready.files, 4, "tokenStore.ts, app.ts, README.md and .gitignore only");
        const result = await search("where is refreshAccessToken defined?");
        assert.equal(result.state, "ready");
        assert.deepEqual(result.retrievers, ["lexical"]);
        const top = result.chunks[0];
        assert.equal(top.relativePath, "src/auth/tokenStore.ts");
        assert.equal(top.path, path.join(workspace, "src/auth/tokenStore.ts"));
        assert.ok(
            top.startLine <= 10 && top.endLine >= 14,
            `the chunk covers the function (lines ${top.startLine}-${top.endLine})`
        );
        assert.match(top.text, /export async function refreshAccessToken/);
        assert.equal(top.languageId, "typescript");
    });

    it("never returns ignored, excluded, secret, binary, huge or node_modules files", async () => {
        const result = await search(
            "refreshAccessToken generated snapshot hunter2 secret private key failed",
            50
        );
        const paths = new Set(result.chunks.map((c) => c.relativePath));
        assert.deepEqual([...paths].sort(), ["src/app.ts", "src/auth/tokenStore.ts"]);
    });

    it("updates only the changed files from workspace/didChangeWatchedFiles, and saves the index", async () => {
        await waitFor("the index file", () =>
            stat(indexFile).then(
                () => true,
                () => false
            )
        );
        await writeFile(
            path.join(workspace, "src/auth/keys.ts"),
            "export function rotateSigningKey(days: number): void {\n    schedule(days);\n}\n"
        );
        await changed([["src/auth/keys.ts", FileChangeType.Created]]);
        assert.equal(
            (await search("rotateSigningKey")).chunks[0]?.relativePath,
            "src/auth/keys.ts"
        );

        // Same size and time, other content: an unchanged-looking file is not read again.
        const app = path.join(workspace, "src/app.ts");
        const original = await readFile(app, "utf8");
        await writeFile(app, original.replace("main", "mian"));
        await utimes(app, ROUND_TIME, ROUND_TIME);
        await rm(path.join(workspace, "src/auth/keys.ts"));
        await changed([
            ["src/app.ts", FileChangeType.Changed],
            ["src/auth/keys.ts", FileChangeType.Deleted]
        ]);
        assert.equal((await search("rotateSigningKey")).chunks.length, 0);
        assert.equal(
            (await search("mian")).chunks.length,
            0,
            "src/app.ts was not read again (its size and time did not change)"
        );
        assert.equal((await search("main")).chunks[0]?.relativePath, "src/app.ts");
        await writeFile(app, original.replace("main", "mainEntry"));
        await changed([["src/app.ts", FileChangeType.Changed]]);
        assert.equal((await search("mainEntry")).chunks[0]?.relativePath, "src/app.ts");
    });

    it("a new folder reported alone (as watchers may) gets its files indexed, but not its ignored ones", async () => {
        await mkdir(path.join(workspace, "src/billing/ledger"), { recursive: true });
        await writeFile(
            path.join(workspace, "src/billing/ledger/reconcile.ts"),
            "export function reconcileLedgerEntries(a: number[]): number[] {\n    return a;\n}\n"
        );
        await writeFile(
            path.join(workspace, "src/billing/debug.log"),
            "reconcileLedgerEntries failed\n"
        );
        await changed([["src/billing", FileChangeType.Created]]);
        const found = await search("reconcileLedgerEntries");
        assert.deepEqual(
            found.chunks.map((c) => c.relativePath),
            ["src/billing/ledger/reconcile.ts"]
        );
        await rm(path.join(workspace, "src/billing"), { recursive: true });
        await changed([["src/billing", FileChangeType.Deleted]]);
        assert.equal((await search("reconcileLedgerEntries")).chunks.length, 0);
    });

    it("is loaded from the workspace storage after a restart (no first build), and unchanged files are not read again", async () => {
        await engine.shutdown();
        // Same size and time again: after the restart the index must still hold the saved terms.
        const app = path.join(workspace, "src/app.ts");
        await utimes(app, ROUND_TIME + 10, ROUND_TIME + 10);
        await start();
        await configure();
        await waitReady(0);
        await engine.shutdown();
        await writeFile(app, (await readFile(app, "utf8")).replace("mainEntry", "mainEntrx"));
        await utimes(app, ROUND_TIME + 10, ROUND_TIME + 10);
        await start();
        await configure();
        await waitReady(0);
        assert.equal(progress[0].firstBuild, false);
        assert.ok(
            engine.logs.some((l) => /Loaded the workspace index: 4 files/.test(l)),
            engine.logs.join("\n")
        );
        assert.equal(
            (await search("mainEntry")).chunks[0]?.relativePath,
            "src/app.ts",
            "the saved entry was used"
        );
        assert.equal(
            (await search("where is refreshAccessToken defined")).chunks[0]?.relativePath,
            "src/auth/tokenStore.ts"
        );
    });

    it("a damaged index file is moved aside and the index built again; the engine keeps running", async () => {
        await engine.shutdown();
        await writeFile(
            indexFile,
            '{"format":"apprentice-workspace-index","version":1,"terms":["a"],"files":{"x":[1,2'
        );
        await start();
        await configure();
        const ready = await waitReady(0);
        assert.equal(progress[0].firstBuild, true, "a damaged file counts as no index");
        assert.equal(ready.files, 4);
        assert.ok(
            (await readdir(storage)).some((f) => /^workspace-index\.corrupt-\d+\.json$/.test(f)),
            "the damaged file was kept aside"
        );
        assert.equal(
            (await search("refreshAccessToken")).chunks[0]?.relativePath,
            "src/auth/tokenStore.ts"
        );
        assert.ok(engine.logs.some((l) => /could not be used \(not JSON/.test(l)));
    });

    it("turned off, it answers with state off and no chunks", async () => {
        const since = progress.length;
        await configure(false);
        await waitFor("off", () => progress.slice(since).some((p) => p.state === "off"));
        const result = await search("refreshAccessToken");
        assert.equal(result.state, "off");
        assert.deepEqual(result.chunks, []);
    });
});
