import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Min } from 'class-validator';
import { envBoolean, loadConfig } from './config';

class SampleConfig {
  @IsString() NAME: string;
  @IsInt() @Min(1) PORT: number = 8000;
  @Transform(envBoolean) @IsBoolean() ENABLED: boolean = true;
}

describe('loadConfig', () => {
  it('converts numbers and applies defaults', () => {
    expect(loadConfig(SampleConfig, { NAME: 'x' })).toMatchObject({ NAME: 'x', PORT: 8000, ENABLED: true });
    expect(loadConfig(SampleConfig, { NAME: 'x', PORT: '9000' }).PORT).toBe(9000);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['off', false],
    ['true', true],
    ['1', true],
  ])('reads boolean %p as %p', (raw, expected) => {
    expect(loadConfig(SampleConfig, { NAME: 'x', ENABLED: raw }).ENABLED).toBe(expected);
  });

  it('refuses bad values with a message naming each variable', () => {
    expect(() => loadConfig(SampleConfig, { PORT: '0' })).toThrow(/SampleConfig[\s\S]*NAME[\s\S]*PORT/);
  });
});
