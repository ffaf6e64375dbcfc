/** The prompt for a commit message and the clean-up of the model's answer (pure: no VS Code API). */

/** Diffs longer than this are cut (the prompt fitting shortens them further for a small context). */
export const MAX_DIFF_CHARS = 12_000;

export const COMMIT_SYSTEM_PROMPT =
    "You write git commit messages. Answer with the commit message only: a summary line in the imperative mood " +
    "of at most 72 characters, then, if the change needs it, a blank line and a short body. No code fences, no quotes, no preamble.";

export function commitRequestText(leftOut: readonly string[]): string {
    const note = leftOut.length > 0 ? ` (The changes to ${leftOut.join(", ")} are not shown.)` : "";
    return `Write the commit message for these changes.${note}`;
}

/** The message as it should stand in the input box: no fences, quotes or "Commit message:" label, trimmed. */
export function cleanCommitMessage(raw: string): string {
    let text = raw.replace(/\r\n/g, "\n").trim();
    text = text.replace(/^```[\w-]*\n?/, "").replace(/\n?```\s*$/, "");
    text = text.replace(/^(?:(?:suggested\s+)?commit message\s*:\s*)/i, "");
    if (/^"[^"]*"$/.test(text) || /^'[^']*'$/.test(text)) text = text.slice(1, -1);
    return text.trim();
}
