/**
 * The engine methods the fuzzer attacks, each with a valid example of its params that the fuzzer
 * mutates. One table: add every new engine method here.
 *
 * TODO(lead): after merging the completion and chat branches, add their methods (for example
 * `apprentice/chat/send`, `apprentice/chat/cancel`, and any other `apprentice/...` request or
 * notification they register) with a valid params example each. `textDocument/inlineCompletion`
 * is already listed.
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
    // Methods nobody implements.
    { method: "apprentice/doesNotExist", kind: "request", valid: () => ({}) },
    { method: "apprentice/doesNotExist/notification", kind: "notification", valid: () => ({}) }
];
