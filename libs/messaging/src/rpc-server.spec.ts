import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { DomainError } from '@app/contracts';
import { createValidationPipe } from './rpc-server';

class Inner {
  @IsInt() @Min(1) value: number;
}
class Outer {
  @IsString() name: string;
  @ValidateNested() @Type(() => Inner) inner: Inner;
}

describe('createValidationPipe (both ends of every hop)', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Outer });

  it('passes valid input, typed', async () => {
    const out = await run({ name: 'a', inner: { value: 2 } });
    expect(out).toBeInstanceOf(Outer);
    expect(out.inner).toBeInstanceOf(Inner);
  });

  it('refuses unknown fields and bad nested values as one validation error listing every field', async () => {
    const error: DomainError = await run({ name: 5, inner: { value: 0 }, role: 'admin' }).catch((e: DomainError) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.errorType).toBe('validation_error');
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['inner.value', 'name', 'role']);
    expect(error.toEnvelope()).toMatchObject({ status: 400, error_type: 'validation_error' });
  });
});
