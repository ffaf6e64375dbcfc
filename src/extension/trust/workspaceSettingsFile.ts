/**
 * Which settings a workspace's settings file sets, read only to tell the user what Restricted Mode
 * ignores (never to use the values). Settings files are JSON with comments and trailing commas.
 */

/** Removes `//` and `/* *\/` comments outside strings, and trailing commas before `}` or `]`. */
export function stripJsonc(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
            out += text.slice(i, j + 1);
            i = j;
        } else if (c === "/" && text[i + 1] === "/") {
            while (i < text.length && text[i] !== "\n") i++;
            out += "\n";
        } else if (c === "/" && text[i + 1] === "*") {
            const end = text.indexOf("*/", i + 2);
            i = end < 0 ? text.length : end + 1;
            out += " ";
        } else out += c;
    }
    return out.replace(/,(\s*[}\]])/g, "$1");
}

/**
 * The keys among `candidates` that a settings file sets: a folder's `.vscode/settings.json` (top
 * level) or a `.code-workspace` file (its `settings` object). Unreadable JSON sets nothing.
 */
export function settingsSetIn(
    text: string,
    candidates: readonly string[],
    workspaceFile = false
): string[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(stripJsonc(text));
    } catch {
        return [];
    }
    const record = (v: unknown): Record<string, unknown> | undefined =>
        typeof v === "object" && v !== null && !Array.isArray(v)
            ? (v as Record<string, unknown>)
            : undefined;
    const settings = workspaceFile ? record(record(parsed)?.settings) : record(parsed);
    if (!settings) return [];
    return candidates.filter((key) => Object.hasOwn(settings, key));
}

/** "Workspace setting a is ignored…" / "Workspace settings a and b are ignored…" for `keys` (non-empty). */
export function restrictedModeNotice(keys: readonly string[]): string {
    const list =
        keys.length === 1
            ? keys[0]
            : `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
    return `Workspace setting${keys.length === 1 ? "" : "s"} ${list} ${keys.length === 1 ? "is" : "are"} ignored until you trust this folder.`;
}
