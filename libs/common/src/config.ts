import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export type Env = Record<string, string | undefined>;

/**
 * Reads and validates an app's configuration once, at boot. Nothing else in an app
 * reads `process.env`: the config object is injected where it is needed.
 */
export function loadConfig<T extends object>(cls: new () => T, env: Env = process.env): T {
  const config = plainToInstance(cls, { ...env }, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration for ${cls.name}:\n${lines.join('\n')}`);
  }
  return config;
}

/**
 * For boolean env vars: reads the raw string ("false", "0", "no", "off" are false).
 * It looks at the source value, because implicit conversion would turn "false" into true.
 */
export const envBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  return typeof raw === 'string' ? !['false', '0', 'no', 'off', ''].includes(raw.trim().toLowerCase()) : raw;
};
