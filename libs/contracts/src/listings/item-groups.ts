import { plainToInstance } from 'class-transformer';
import { registerDecorator, validateSync, type ValidationArguments, type ValidationError } from 'class-validator';

/** Group keys: an exchange type (`PERMANENT`) or a category slug (`bicycles`, legacy `electronics`). */
export const GROUP_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_GROUPS = 60;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function messages(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const field = `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) out.push(message.startsWith(error.property) ? `${prefix}.${message}` : `${field}: ${message}`);
    if (error.children?.length) out.push(...messages(error.children, field));
  }
  return out;
}

/**
 * `{ KEY: [item, …] }` with each item turned into `cls` (so its @Transform rules, e.g.
 * trimming, apply). Anything that is not that shape is passed through for the
 * validator to refuse with a precise message.
 */
export function toItemGroups<T extends object>(cls: new () => T, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, items]) => [key, Array.isArray(items) ? items.map((item) => (isPlainObject(item) ? plainToInstance(cls, item) : item)) : items]),
  );
}

/** Every problem in a groups map, each prefixed with its path (`wants.PERMANENT[0].value_tenge: …`). */
export function itemGroupErrors<T extends object>(cls: new () => T, value: unknown, property: string): string[] {
  if (!isPlainObject(value)) return [`${property} must be an object keyed by exchange type or category slug`];
  const entries = Object.entries(value);
  if (entries.length > MAX_GROUPS) return [`${property} has ${entries.length} groups; at most ${MAX_GROUPS}`];
  const out: string[] = [];
  for (const [key, items] of entries) {
    if (!GROUP_KEY_PATTERN.test(key)) {
      out.push(`${property}: "${key.slice(0, 64)}" is not an exchange type or a category slug`);
      continue;
    }
    if (!Array.isArray(items)) {
      out.push(`${property}.${key} must be an array of items`);
      continue;
    }
    items.forEach((item, index) => {
      const path = `${property}.${key}[${index}]`;
      if (!isPlainObject(item)) {
        out.push(`${path} must be an object`);
        return;
      }
      const instance = item instanceof cls ? item : plainToInstance(cls, item);
      const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
      out.push(...messages(errors, path));
    });
  }
  return out;
}

const lastErrors = new WeakMap<object, Map<string, string[]>>();

/** Validates a `{ KEY: [item, …] }` map whose items are `cls` (nested rules, unknown fields refused). */
export function IsItemGroups<T extends object>(cls: () => new () => T): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isItemGroups',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const errors = itemGroupErrors(cls(), value, args.property);
          const byProperty = lastErrors.get(args.object) ?? new Map<string, string[]>();
          byProperty.set(args.property, errors);
          lastErrors.set(args.object, byProperty);
          return errors.length === 0;
        },
        defaultMessage(args: ValidationArguments) {
          return (lastErrors.get(args.object)?.get(args.property) ?? [`${args.property} is invalid`]).join('; ');
        },
      },
    });
  };
}
