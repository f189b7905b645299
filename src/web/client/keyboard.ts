/**
 * The review page's keyboard map, as one self-contained function: it is unit-tested here and its source is
 * shipped to the browser as is (see client/script.ts), so the tested map is the one that runs. It may not use
 * anything outside its own body.
 */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, textarea or select: plain keys belong to it. */
  typing: boolean;
  /** Focus is in a multi-line text field, where Shift+Enter is a line break. */
  multiline: boolean;
}

export type KeyAction =
  | "next"
  | "prev"
  | "status:golden"
  | "status:correct"
  | "status:incorrect"
  | "status:needs_review"
  | "tags"
  | "expected"
  | "notes"
  | "save"
  | "save-next"
  | "toggle-ready"
  | "help"
  | "escape";

export function keyAction(e: KeyInput): KeyAction | null {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.altKey) return e.shiftKey ? "save-next" : "save";
  if (e.key === "Escape") return "escape";
  if (e.key === "Enter" && e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) return e.multiline ? null : "save-next";
  if (e.typing || e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case "j":
      return "next";
    case "k":
      return "prev";
    case "1":
      return "status:golden";
    case "2":
      return "status:correct";
    case "3":
      return "status:incorrect";
    case "4":
      return "status:needs_review";
    case "t":
      return "tags";
    case "e":
      return "expected";
    case "n":
      return "notes";
    case "r":
      return "toggle-ready";
    case "?":
      return "help";
    default:
      return null;
  }
}

/** What the help overlay and the hints beside the controls say. */
export const KEY_HINTS: { keys: string; does: string }[] = [
  { keys: "j / k", does: "next / previous session in the list" },
  { keys: "1 2 3 4", does: "status: golden, correct, incorrect, needs review" },
  { keys: "t", does: "add a tag" },
  { keys: "e", does: "edit the expected output" },
  { keys: "n", does: "edit the notes" },
  { keys: "r", does: "toggle eval-ready" },
  { keys: "Ctrl/⌘ + Enter", does: "save" },
  { keys: "Shift + Enter, Ctrl/⌘ + Shift + Enter", does: "save and go to the next session" },
  { keys: "Esc", does: "leave the field you are typing in, close this help" },
  { keys: "?", does: "show or hide this help" },
];
