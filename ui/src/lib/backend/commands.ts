// Every command, sent with the arguments Rust declares and typed by what it answers: the
// `Commands` type is generated from the `#[tauri::command]` functions (bindings/commands.ts),
// so a wrong name, argument or reply type fails the UI's type check.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { Commands } from "../bindings/commands";

export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Commands[K]["args"];
export type CommandReply<K extends CommandName> = Commands[K]["reply"];

/** Sends `command` over IPC: `args` is `null` for a command that takes none. */
export function invokeCommand<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandReply<K>> {
  return invoke<CommandReply<K>>(command, (args ?? undefined) as InvokeArgs | undefined);
}
