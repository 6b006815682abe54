import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ERROR_STATUS, ErrorType, type FieldError } from '@app/contracts';
import { RateLimitedError } from '../auth/rate-limits';
import type { GatewayRequest } from '../auth/caller';

interface ErrorBody {
  detail: string;
  status_code: number;
  error_type: string;
  fields?: FieldError[];
  correlation_id?: string;
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: ErrorType.validation,
  401: ErrorType.unauthorized,
  403: ErrorType.forbidden,
  404: ErrorType.notFound,
  405: 'method_not_allowed',
  409: ErrorType.conflict,
  413: ErrorType.payloadTooLarge,
  415: 'unsupported_media_type',
  429: ErrorType.rateLimited,
  503: ErrorType.serviceUnavailable,
  504: ErrorType.timeout,
};

/**
 * One envelope for every failure: `{detail, status_code, error_type}` (+ `fields` for
 * validation). Body-parser failures, unknown routes and service errors all come
 * through here; an unexpected error is logged with its correlation id and answered
 * with a generic 500, never a stack trace or SQL.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(exception, host.switchToHttp().getRequest<GatewayRequest>(), host.switchToHttp().getResponse<Response>());
  }
}

const logger = new Logger('HttpErrorFilter');

export function sendError(exception: unknown, req: GatewayRequest, res: Response): void {
  const body = toErrorBody(exception, req);
  if (exception instanceof RateLimitedError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
  if (body.status_code >= 500) {
    logger.error({ err: exception, correlation_id: req.id, method: req.method, url: req.originalUrl }, 'request failed');
  }
  if (res.headersSent) return;
  res.status(body.status_code).json(body);
}

export function toErrorBody(exception: unknown, req: GatewayRequest): ErrorBody {
  const correlation_id = req.id;
  if (exception instanceof DomainError) {
    const status = ERROR_STATUS[exception.errorType] ?? 500;
    const detail = status === 500 ? 'Internal server error' : exception.message;
    return { detail, status_code: status, error_type: exception.errorType, ...(exception.fields ? { fields: exception.fields } : {}), correlation_id };
  }
  // body-parser: malformed JSON, oversized body, bad charset.
  const parserError = exception as { type?: string; status?: number; expose?: boolean };
  if (parserError && typeof parserError.type === 'string' && typeof parserError.status === 'number' && !(exception instanceof HttpException)) {
    if (parserError.type === 'entity.parse.failed') return { detail: 'Malformed JSON in request body', status_code: 400, error_type: ErrorType.validation, correlation_id };
    if (parserError.type === 'entity.too.large') return { detail: 'Request body is larger than the 1 MB limit', status_code: 413, error_type: ErrorType.payloadTooLarge, correlation_id };
    const status = parserError.status >= 400 && parserError.status < 500 ? parserError.status : 400;
    return { detail: 'Unreadable request body', status_code: status, error_type: TYPE_BY_STATUS[status] ?? ErrorType.validation, correlation_id };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let detail = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
    if (Array.isArray(detail)) detail = detail.join('; ');
    if (status === 404 && /^Cannot /.test(String(detail))) detail = `No route for ${req.method} ${req.path}`;
    return { detail: status >= 500 ? 'Internal server error' : String(detail), status_code: status, error_type: TYPE_BY_STATUS[status] ?? (status >= 500 ? ErrorType.internal : 'http_error'), correlation_id };
  }
  return { detail: 'Internal server error', status_code: 500, error_type: ErrorType.internal, correlation_id };
}
