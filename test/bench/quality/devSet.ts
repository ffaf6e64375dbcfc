/**
 * The quality suite's development set: the source units that `coder-48m-fim-q8_0.gguf` never saw in
 * training (its card in ../shared/models/README.md), found where they are installed on this machine:
 * JavaScript and TypeScript packages in the project's node_modules (top-level copies only) and Python
 * standard-library modules and packages of the `python3` on PATH. Units that are not installed are
 * listed as missing, never fetched.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

export type Language = "javascript" | "typescript" | "python";
export const LANGUAGES: readonly Language[] = ["javascript", "typescript", "python"];

/** npm packages of the card's development set. */
export const DEV_PACKAGES = [
    "eslint",
    "ajv",
    "@eslint-community/eslint-utils",
    "@humanwhocodes/retry",
    "minimatch",
    "p-limit",
    "picocolors",
    "open",
    "bytes",
    "filenamify",
    "lowdb",
    "reusify",
    "safe-buffer",
    "side-channel",
    "yoctocolors",
    "domhandler"
] as const;

/** Python standard-library modules of the development set (a module file or a package folder). */
export const DEV_PYTHON_STDLIB = [
    "tkinter",
    "pydoc",
    "gzip",
    "base64",
    "copy",
    "hashlib",
    "string",
    "graphlib",
    "weakref",
    "cProfile",
    "io",
    "pkgutil",
    "turtledemo"
] as const;
/** Installed Python packages of the development set (site-packages). */
export const DEV_PYTHON_PACKAGES = ["oauthlib", "annotated_types", "flask_cors"] as const;

export interface DevFile {
    /** Shown path: `node_modules/…` or `python:…`. */
    name: string;
    language: Language;
    lines: string[];
}

export interface DevSet {
    files: DevFile[];
    /** Units of the card that are not installed here. */
    missing: string[];
}

/** The language of a file by its name, or undefined for files the suite does not use. */
export function languageOf(file: string): Language | undefined {
    if (/\.min\.[cm]?js$/.test(file)) return undefined;
    if (/\.[cm]?js$/.test(file)) return "javascript";
    if (/\.d\.[cm]?ts$/.test(file)) return undefined;
    if (/\.[cm]?ts$/.test(file)) return "typescript";
    if (/\.py$/.test(file)) return "python";
    return undefined;
}

/** Hand-written source of a usable size: 20-5000 lines, no minified or generated-looking lines. */
export function isDevSource(text: string): boolean {
    const lines = text.split("\n");
    if (lines.length < 20 || lines.length > 5000) return false;
    const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
    return longest <= 500 && text.length / lines.length <= 90;
}

function walk(dir: string, out: string[], depth = 0): void {
    if (depth > 8) return;
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
            a.name.localeCompare(b.name)
        );
    } catch {
        return;
    }
    for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            // Nested copies of other packages, tests and caches are not the unit itself.
            if (!/^(node_modules|__pycache__|test|tests|\..*)$/.test(entry.name))
                walk(full, out, depth + 1);
        } else if (languageOf(entry.name)) {
            out.push(full);
        }
    }
}

function readDevFile(full: string, name: string): DevFile | undefined {
    const language = languageOf(full);
    if (!language) return undefined;
    let text: string;
    try {
        if (statSync(full).size > 400_000) return undefined;
        text = readFileSync(full, "utf8");
    } catch {
        return undefined;
    }
    if (!isDevSource(text)) return undefined;
    return { name, language, lines: text.replace(/\r\n/g, "\n").split("\n") };
}

/** The Python folders: [stdlib, purelib], or undefined when no python3 runs here. */
export function pythonPaths(): { stdlib: string; purelib: string } | undefined {
    const run = spawnSync(
        "python3",
        [
            "-c",
            "import sysconfig,json;p=sysconfig.get_paths();print(json.dumps([p['stdlib'],p['purelib']]))"
        ],
        { encoding: "utf8", timeout: 10_000 }
    );
    if (run.status !== 0) return undefined;
    try {
        const [stdlib, purelib] = JSON.parse(run.stdout) as [string, string];
        return { stdlib, purelib };
    } catch {
        return undefined;
    }
}

/** Every development-set file installed here, in a stable order (`python` null: no Python units). */
export function findDevSet(
    nodeModules: string,
    relativeTo: string,
    python: { stdlib: string; purelib: string } | null | undefined = pythonPaths()
): DevSet {
    const files: DevFile[] = [];
    const missing: string[] = [];
    for (const pkg of DEV_PACKAGES) {
        const root = path.join(nodeModules, pkg);
        const found: string[] = [];
        walk(root, found);
        const before = files.length;
        for (const full of found) {
            const file = readDevFile(full, path.relative(relativeTo, full));
            if (file) files.push(file);
        }
        if (files.length === before) missing.push(pkg);
    }
    const units: [string, string][] = [
        ...DEV_PYTHON_STDLIB.map((m) => [m, python?.stdlib ?? ""] as [string, string]),
        ...DEV_PYTHON_PACKAGES.map((m) => [m, python?.purelib ?? ""] as [string, string])
    ];
    for (const [unit, base] of units) {
        const before = files.length;
        if (base) {
            const asFile = path.join(base, `${unit}.py`);
            const found: string[] = [];
            try {
                if (statSync(asFile).isFile()) found.push(asFile);
            } catch {
                walk(path.join(base, unit), found);
            }
            for (const full of found) {
                const file = readDevFile(full, `python:${path.relative(base, full)}`);
                if (file) files.push(file);
            }
        }
        if (files.length === before) missing.push(`python:${unit}`);
    }
    return { files, missing };
}
