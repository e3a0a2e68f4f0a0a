import type { Command } from "commander";
import { createCliContext } from "./cli-context";
import { buildProgram } from "./program";

/** Every command below `command`, itself included, with its path (`dlq purge`). */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string; command: Command }> {
  const here = [...path, command.name()];
  return [{ path: here.join(" "), command }, ...command.commands.flatMap((sub) => commandsOf(sub, here))];
}

describe("the CLI's help", () => {
  const all = commandsOf(buildProgram(createCliContext()));

  it("describes every command", () => {
    expect(all.length).toBeGreaterThan(15);
    expect(all.filter(({ command }) => command.description().trim() === "").map(({ path }) => path)).toEqual([]);
  });

  it("describes every option and argument", () => {
    const bare = all.flatMap(({ path, command }) => [
      ...command.options.filter((option) => option.description.trim() === "").map((option) => `${path} ${option.flags}`),
      ...command.registeredArguments.filter((argument) => argument.description.trim() === "").map((argument) => `${path} <${argument.name()}>`),
    ]);
    expect(bare).toEqual([]);
  });
});
