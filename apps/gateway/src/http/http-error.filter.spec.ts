import { HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { RateLimitedError } from '../auth/rate-limits';
import type { GatewayRequest } from '../auth/caller';
import { toErrorBody } from './http-error.filter';

const req = { id: 'req-1', method: 'GET', path: '/x/y', originalUrl: '/x/y' } as unknown as GatewayRequest;

describe('toErrorBody: one envelope for every failure', () => {
  it('renders a domain error with its status, type and fields', () => {
    const body = toErrorBody(DomainError.validation('email: bad', [{ field: 'email', message: 'bad' }]), req);
    expect(body).toEqual({ detail: 'email: bad', status_code: 400, error_type: 'validation_error', fields: [{ field: 'email', message: 'bad' }], correlation_id: 'req-1' });
    expect(toErrorBody(DomainError.notFound('User'), req)).toMatchObject({ status_code: 404, error_type: 'not_found', detail: 'User not found or no access' });
    expect(toErrorBody(new RateLimitedError(30, 'slow down'), req)).toMatchObject({ status_code: 429, error_type: 'rate_limited' });
  });

  it('maps body-parser failures: malformed JSON → 400, too large → 413', () => {
    expect(toErrorBody(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }), req)).toMatchObject({ status_code: 400, error_type: 'validation_error', detail: 'Malformed JSON in request body' });
    expect(toErrorBody(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 }), req)).toMatchObject({ status_code: 413, error_type: 'payload_too_large' });
    expect(toErrorBody(Object.assign(new Error('charset'), { type: 'charset.unsupported', status: 415 }), req)).toMatchObject({ status_code: 415 });
  });

  it("turns Nest's route-not-found into a JSON 404 naming the route", () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x/y'), req)).toMatchObject({ status_code: 404, error_type: 'not_found', detail: 'No route for GET /x/y' });
  });

  it('never leaks internals of unexpected errors', () => {
    const body = toErrorBody(new Error('relation "users" does not exist at SELECT * FROM users'), req);
    expect(body).toEqual({ detail: 'Internal server error', status_code: 500, error_type: 'internal_error', correlation_id: 'req-1' });
    expect(toErrorBody(new HttpException('db exploded', 500), req).detail).toBe('Internal server error');
    expect(toErrorBody(new DomainError('internal_error', 'stack at x.ts:1'), req).detail).toBe('Internal server error');
  });
});
