import { DomainError } from '@app/contracts';
import { idParam } from './id-param';

describe('idParam', () => {
  const pipe = idParam('user_id');

  it('accepts positive integers', () => {
    expect(pipe.transform('1', { type: 'param' })).toBe(1);
    expect(pipe.transform('2147483647', { type: 'param' })).toBe(2147483647);
  });

  it.each(['0', '-1', 'abc', '1.5', '2147483648', '', '12345678901'])('refuses %p with a 400 naming the parameter', (raw) => {
    let error: unknown;
    try {
      pipe.transform(raw, { type: 'param' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).fields).toEqual([{ field: 'user_id', message: 'must be an integer of at least 1' }]);
  });
});
