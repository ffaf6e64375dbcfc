// Lint, including the module boundaries: the shared protocol imports neither vscode nor
// node-llama-cpp; the engine never imports vscode; the extension and the webview never import node-llama-cpp.
import tseslint from "typescript-eslint";

const llama = { group: ["node-llama-cpp", "node-llama-cpp/*", "@node-llama-cpp/*"], message: "Only the engine may use node-llama-cpp." };
const vscodeApi = { name: "vscode", message: "Only the extension may use the VS Code API." };
const client = { group: ["vscode-languageclient", "vscode-languageclient/*"], message: "Only the extension uses the language client." };
const server = { group: ["vscode-languageserver", "vscode-languageserver/*"], message: "Only the engine uses the language server." };
const intoExtension = { group: ["**/extension/**", "../extension", "./extension"], message: "Other layers must not import the extension." };
const intoEngine = { group: ["**/engine/**", "../engine", "./engine"], message: "Other layers must not import the engine." };
const intoWebview = { group: ["**/webview/**", "../webview"], message: "Other layers must not import the webview." };

export default tseslint.config(
    { ignores: ["dist/**", "out/**", "media/dist/**", "node_modules/**", ".tools/**", ".test-data/**", ".artifacts/**"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-namespace": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "no-console": "off"
        }
    },
    {
        // Type-aware: a promise nobody awaits, returns or marks with `void` loses its errors.
        files: ["src/**/*.ts", "test/**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-floating-promises": ["error", {
                // node:test's describe/it return promises the runner itself awaits.
                allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"] }]
            }]
        }
    },
    {
        files: ["src/shared/**"],
        rules: { "no-restricted-imports": ["error", { paths: [vscodeApi], patterns: [llama, client, server, intoExtension, intoEngine, intoWebview] }] }
    },
    {
        files: ["src/engine/**"],
        rules: { "no-restricted-imports": ["error", { paths: [vscodeApi], patterns: [client, intoExtension, intoWebview] }] }
    },
    {
        files: ["src/extension/**"],
        rules: { "no-restricted-imports": ["error", { patterns: [llama, server, intoEngine, intoWebview] }] }
    },
    {
        files: ["src/webview/**"],
        rules: { "no-restricted-imports": ["error", { paths: [vscodeApi], patterns: [llama, client, server, intoExtension, intoEngine] }] }
    }
);
