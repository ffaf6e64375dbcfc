/**
 * The engine methods the fuzzer attacks, each with a valid example of its params that the fuzzer
 * mutates. One table: add every new engine method here.
 *
 * Methods that download, delete, load models or contact servers get harmless valid examples: a
 * catalog id that does not exist, files in the test's temporary models folder (`FuzzSandbox`), and a
 * server on 127.0.0.1:1 (nothing listens there). The fuzzer runs the engine under the network guard
 * (test/support/noNetwork.ts) and with the models folder and mirror set to the sandbox, so nothing
 * can be downloaded, deleted outside the temporary folder, or sent to a non-loopback host.
 */

/** Where the model-management examples point: all inside one temporary folder of the test. */
export interface FuzzSandbox {
    /** The temporary models folder (`apprentice.modelsFolder` of the engine under test). */
    modelsFolder: string;
    /** A loadable GGUF copied into the models folder (for `apprentice/models/use`). */
    modelFile: string;
    /** A file name in the models folder that may be deleted (for `apprentice/models/delete`). */
    deletableFileName: string;
}

/** A server address nothing listens on: loopback, refused at once. */
export const UNREACHABLE_SERVER = "http://127.0.0.1:1";

export interface FuzzTarget {
    method: string;
    kind: "request" | "notification";
    /** A valid params example for a document `uri` that is open with some text. */
    valid: (uri: string, sandbox: FuzzSandbox) => unknown;
}

const position = { line: 1, character: 2 };
const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 3 } };

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
    // Lifecycle. `initialize` after the first one must be refused; `shutdown` and `exit` are not
    // fuzzed because they end the session by design.
    {
        method: "initialize",
        kind: "request",
        valid: () => ({
            processId: null,
            rootUri: null,
            capabilities: {},
            initializationOptions: { settings: {} }
        })
    },
    { method: "initialized", kind: "notification", valid: () => ({}) },
    // Document sync.
    {
        method: "textDocument/didOpen",
        kind: "notification",
        valid: (uri) => ({
            textDocument: {
                uri,
                languageId: "typescript",
                version: 1,
                text: "const a = 1;\nfunction f() {}\n"
            }
        })
    },
    {
        method: "textDocument/didChange",
        kind: "notification",
        valid: (uri) => ({
            textDocument: { uri, version: 2 },
            contentChanges: [{ range, text: "let b = 2;" }]
        })
    },
    {
        method: "textDocument/didSave",
        kind: "notification",
        valid: (uri) => ({ textDocument: { uri }, text: "x" })
    },
    {
        method: "textDocument/willSave",
        kind: "notification",
        valid: (uri) => ({ textDocument: { uri }, reason: 1 })
    },
    {
        method: "textDocument/didClose",
        kind: "notification",
        valid: (uri) => ({ textDocument: { uri } })
    },
    // Workspace.
    {
        method: "workspace/didChangeConfiguration",
        kind: "notification",
        valid: () => ({ settings: { apprentice: { contextSize: 512, threads: 1 } } })
    },
    {
        method: "workspace/didChangeWatchedFiles",
        kind: "notification",
        valid: (uri) => ({ changes: [{ uri, type: 2 }] })
    },
    // Protocol.
    { method: "$/setTrace", kind: "notification", valid: () => ({ value: "off" }) },
    { method: "$/cancelRequest", kind: "notification", valid: () => ({ id: 1 }) },
    // Features (standard LSP where one exists).
    {
        method: "textDocument/inlineCompletion",
        kind: "request",
        valid: (uri) => ({ textDocument: { uri }, position, context: { triggerKind: 2 } })
    },
    {
        method: "textDocument/willSaveWaitUntil",
        kind: "request",
        valid: (uri) => ({ textDocument: { uri }, reason: 1 })
    },
    {
        method: "textDocument/hover",
        kind: "request",
        valid: (uri) => ({ textDocument: { uri }, position })
    },
    // Apprentice's own methods.
    { method: "apprentice/status/get", kind: "request", valid: () => undefined },
    {
        method: "apprentice/chat/send",
        kind: "request",
        valid: () => ({
            turnId: "fuzz-turn",
            messages: [
                {
                    role: "user",
                    text: "Say hi.",
                    attachments: [{ name: "a.ts", text: "const a = 1;" }]
                }
            ],
            maxTokens: 4
        })
    },
    { method: "apprentice/chat/stop", kind: "request", valid: () => ({ turnId: "fuzz-turn" }) },
    { method: "apprentice/chat/prepare", kind: "notification", valid: () => undefined },
    { method: "apprentice/completion/stats", kind: "request", valid: () => undefined },
    {
        method: "apprentice/completion/prefetch",
        kind: "notification",
        valid: (uri) => ({ textDocument: { uri }, position })
    },
    { method: "apprentice/models/list", kind: "request", valid: () => undefined },
    { method: "apprentice/models/recommend", kind: "request", valid: () => undefined },
    {
        method: "apprentice/models/download",
        kind: "request",
        valid: () => ({ id: "fuzz-no-such-model" })
    },
    {
        method: "apprentice/models/cancelDownload",
        kind: "request",
        valid: () => ({ id: "fuzz-no-such-model" })
    },
    {
        method: "apprentice/models/delete",
        kind: "request",
        valid: (_uri, sandbox) => ({ fileName: sandbox.deletableFileName })
    },
    {
        method: "apprentice/models/use",
        kind: "request",
        valid: (_uri, sandbox) => ({ path: sandbox.modelFile })
    },
    {
        method: "apprentice/backend/configure",
        kind: "notification",
        valid: () => ({
            settings: {
                kind: "llamaServer",
                url: UNREACHABLE_SERVER,
                model: "",
                fimTemplate: "qwen",
                timeoutMs: 1000,
                fallbackToLocal: true
            }
        })
    },
    { method: "apprentice/backend/check", kind: "request", valid: () => undefined },
    // Methods nobody implements.
    { method: "apprentice/doesNotExist", kind: "request", valid: () => ({}) },
    { method: "apprentice/doesNotExist/notification", kind: "notification", valid: () => ({}) }
];
