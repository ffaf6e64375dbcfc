/** Decides whether a file may be attached to a chat without asking: files that usually hold secrets may not. */
import { SecretFileMatcher } from "../../shared/secretFiles";

/** The button that attaches a secret-looking file after all. */
export const ATTACH_ANYWAY = "Attach Anyway";

/**
 * The warning to show instead of attaching `uri` silently, or undefined when it is an ordinary file.
 * `extraPatterns` is the user's `apprentice.secretFilePatterns`.
 */
export function secretAttachmentWarning(
    uri: string,
    displayName: string,
    extraPatterns: readonly string[]
): string | undefined {
    if (!new SecretFileMatcher(extraPatterns).isSecret(uri)) return undefined;
    return (
        `${displayName} looks like a file that holds secrets (it matches a built-in pattern such as .env or *.pem, or apprentice.secretFilePatterns), ` +
        `so Apprentice did not attach it to the chat. Choose "${ATTACH_ANYWAY}" to send its content to the model anyway.`
    );
}
