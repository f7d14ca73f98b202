// Every command, called with the arguments Rust declares and typed by what it answers: the
// `Commands` type is generated from the `#[tauri::command]` functions (bindings/commands.ts),
// so a wrong name, argument or reply type fails the UI's type check.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { Commands } from "../bindings/commands";

export type CommandName = keyof Commands;
type Args<K extends CommandName> = Commands[K]["args"];
/** A command's arguments, as the rest of `invokeCommand`'s parameters: none, or one. */
export type CommandArgs<K extends CommandName> = Args<K> extends null ? [] : [Args<K>];
export type CommandReply<K extends CommandName> = Commands[K]["reply"];

export function invokeCommand<K extends CommandName>(
  command: K,
  ...args: CommandArgs<K>
): Promise<CommandReply<K>> {
  return invoke<CommandReply<K>>(command, args[0] as InvokeArgs | undefined);
}
