// Argument handling the commands share: a parse error is a usage error, and --fail-on has the config's levels.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DEFAULTS, FAIL_ON, type Config } from '../config.js';
import { CliError } from './io.js';

/** parseArgs, with an unknown flag or a missing value reported with the command's usage (exit 2). */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${usage}`);
  }
}

/** --fail-on checked against the levels the config file accepts; scan's default when not given. */
export function failOnOption(value: string | undefined): Config['failOn'] {
  const failOn = (value ?? DEFAULTS.failOn) as Config['failOn'];
  if (!FAIL_ON.includes(failOn)) throw new CliError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);
  return failOn;
}
