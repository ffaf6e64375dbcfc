/**
 * The engine methods the fuzzer attacks, each with a valid example of its params that the fuzzer
 * mutates. One table: add every new engine method here.
 *
 * TODO(lead): `apprentice/models/download`, `apprentice/models/delete`, `apprentice/models/use`,
 * `apprentice/models/cancelDownload`, `apprentice/backend/configure` and `apprentice/backend/check`
 * are not listed: their valid examples would download, delete files or contact servers. Add them
 * with harmless valid examples (a model id that does not exist, a mirror on 127.0.0.1:1, a file in
 * a temporary folder) and run the fuzzer inside the offline guard of test/engine/offline.test.ts.
 */

export interface FuzzTarget {
    method: string;
    kind: "request" | "notification";
    /** A valid params example for a document `uri` that is open with some text. */
    valid: (uri: string) => unknown;
}

const position = { line: 1, character: 2 };
const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 3 } };

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
    // Lifecycle. `initialize` after the first one must be refused; `shutdown` and `exit` are not
    // fuzzed because they end the session by design.
    { method: "initialize", kind: "request", valid: () => ({ processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: {} } }) },
    { method: "initialized", kind: "notification", valid: () => ({}) },
    // Document sync.
    { method: "textDocument/didOpen", kind: "notification", valid: (uri) => ({ textDocument: { uri, languageId: "typescript", version: 1, text: "const a = 1;\nfunction f() {}\n" } }) },
    { method: "textDocument/didChange", kind: "notification", valid: (uri) => ({ textDocument: { uri, version: 2 }, contentChanges: [{ range, text: "let b = 2;" }] }) },
    { method: "textDocument/didSave", kind: "notification", valid: (uri) => ({ textDocument: { uri }, text: "x" }) },
    { method: "textDocument/willSave", kind: "notification", valid: (uri) => ({ textDocument: { uri }, reason: 1 }) },
    { method: "textDocument/didClose", kind: "notification", valid: (uri) => ({ textDocument: { uri } }) },
    // Workspace.
    { method: "workspace/didChangeConfiguration", kind: "notification", valid: () => ({ settings: { apprentice: { contextSize: 512, threads: 1 } } }) },
    { method: "workspace/didChangeWatchedFiles", kind: "notification", valid: (uri) => ({ changes: [{ uri, type: 2 }] }) },
    // Protocol.
    { method: "$/setTrace", kind: "notification", valid: () => ({ value: "off" }) },
    { method: "$/cancelRequest", kind: "notification", valid: () => ({ id: 1 }) },
    // Features (standard LSP where one exists).
    { method: "textDocument/inlineCompletion", kind: "request", valid: (uri) => ({ textDocument: { uri }, position, context: { triggerKind: 2 } }) },
    { method: "textDocument/willSaveWaitUntil", kind: "request", valid: (uri) => ({ textDocument: { uri }, reason: 1 }) },
    { method: "textDocument/hover", kind: "request", valid: (uri) => ({ textDocument: { uri }, position }) },
    // Apprentice's own methods.
    { method: "apprentice/status/get", kind: "request", valid: () => undefined },
    { method: "apprentice/chat/send", kind: "request", valid: () => ({ turnId: "fuzz-turn", messages: [{ role: "user", text: "Say hi.", attachments: [{ name: "a.ts", text: "const a = 1;" }] }], maxTokens: 4 }) },
    { method: "apprentice/chat/stop", kind: "request", valid: () => ({ turnId: "fuzz-turn" }) },
    { method: "apprentice/completion/stats", kind: "request", valid: () => undefined },
    { method: "apprentice/models/list", kind: "request", valid: () => undefined },
    { method: "apprentice/models/recommend", kind: "request", valid: () => undefined },
    // Methods nobody implements.
    { method: "apprentice/doesNotExist", kind: "request", valid: () => ({}) },
    { method: "apprentice/doesNotExist/notification", kind: "notification", valid: () => ({}) }
];
