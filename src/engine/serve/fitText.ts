/**
 * Cuts a request's text to what a context of N tokens can use, BEFORE it is tokenized: tokenizing
 * runs on the server's only JavaScript thread, so megabytes of text that would be thrown away after
 * tokenizing would stall every other client. A token is rarely longer than CHARS_PER_TOKEN
 * characters, so the cut keeps at least as much text as fits.
 */
import type { ChatMessage, ExtraContext } from "../remote/backend";
import type { Job } from "./endpoints";

export const CHARS_PER_TOKEN = 16;

/** The last `max` characters of `text` (not starting inside a surrogate pair). */
export function tail(text: string, max: number): string {
    if (text.length <= max) return text;
    let start = text.length - Math.max(0, max);
    if (start < text.length && /[\uDC00-\uDFFF]/.test(text[start]!)) start++;
    return text.slice(start);
}

/** The first `max` characters of `text` (not ending inside a surrogate pair). */
export function head(text: string, max: number): string {
    if (text.length <= max) return text;
    let end = Math.max(0, max);
    if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    return text.slice(0, end);
}

/** The job with its text cut to `contextTokens` tokens' worth of characters. */
export function fitJob(job: Job, contextTokens: number): Job {
    const budget = contextTokens * CHARS_PER_TOKEN;
    switch (job.kind) {
        case "complete":
            return { kind: "complete", prompt: tail(job.prompt, budget) };
        case "infill": {
            // The cursor's surroundings matter most: the line, then the nearest suffix, then the nearest prefix, then extra context.
            const line = tail(job.line, Math.floor(budget / 4));
            const suffix = head(job.suffix, Math.floor(budget / 4));
            const before = tail(job.before, budget - line.length - suffix.length);
            let room = budget - line.length - suffix.length - before.length;
            const extra: ExtraContext[] = [];
            for (const chunk of job.extra) {
                if (chunk.text.length + chunk.filename.length > room) continue;
                room -= chunk.text.length + chunk.filename.length;
                extra.push(chunk);
            }
            return { kind: "infill", before, line, suffix, extra };
        }
        case "chat": {
            // The newest messages first; the last (the question) is cut to its end when it alone is too long.
            const kept: ChatMessage[] = [];
            let room = budget;
            for (let i = job.messages.length - 1; i >= 0 && room > 0; i--) {
                const message = job.messages[i]!;
                if (message.content.length <= room) kept.unshift(message);
                else if (kept.length === 0)
                    kept.unshift({ ...message, content: tail(message.content, room) });
                else break;
                room -= kept[0]!.content.length;
            }
            return { kind: "chat", messages: kept };
        }
    }
}
