import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, messageOf } from './cli.error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node's parseArgs, its errors (an unknown flag, a missing value) as bad input. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(messageOf(error));
  }
}

/** A whole number from `min` to `max` given to `flag`. */
export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
