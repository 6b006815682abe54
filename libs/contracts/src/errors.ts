/**
 * Error kinds shared by every service. A service throws a DomainError; the RPC filter
 * turns it into an RpcErrorEnvelope; the gateway maps `error_type` to an HTTP status.
 * Never rename a value: clients read `error_type`.
 */
export const ErrorType = {
  validation: 'validation_error',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  serviceUnavailable: 'service_unavailable',
  timeout: 'gateway_timeout',
  internal: 'internal_error',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

export const ERROR_STATUS: Record<ErrorType, number> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  service_unavailable: 503,
  gateway_timeout: 504,
  internal_error: 500,
};

export interface FieldError {
  field: string;
  message: string;
}

/** What travels back over NATS when a handler fails. */
export interface RpcErrorEnvelope {
  status: number;
  error_type: ErrorType;
  detail: string;
  fields?: FieldError[];
}

export function isRpcErrorEnvelope(value: unknown): value is RpcErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorEnvelope).error_type === 'string' &&
    typeof (value as RpcErrorEnvelope).detail === 'string'
  );
}

/** A rule was broken; services throw these, never HTTP exceptions. */
export class DomainError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.errorType];
  }

  toEnvelope(): RpcErrorEnvelope {
    return {
      status: this.status,
      error_type: this.errorType,
      detail: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }

  static fromEnvelope(envelope: RpcErrorEnvelope): DomainError {
    return new DomainError(envelope.error_type, envelope.detail, envelope.fields);
  }

  static notFound(what = 'Resource'): DomainError {
    // Same text whether the row is missing or belongs to someone else (no existence leaks).
    return new DomainError(ErrorType.notFound, `${what} not found or no access`);
  }
  static forbidden(detail = 'You are not allowed to do this'): DomainError {
    return new DomainError(ErrorType.forbidden, detail);
  }
  static unauthorized(detail = 'Not authenticated'): DomainError {
    return new DomainError(ErrorType.unauthorized, detail);
  }
  static conflict(detail: string): DomainError {
    return new DomainError(ErrorType.conflict, detail);
  }
  static validation(detail: string, fields?: FieldError[]): DomainError {
    return new DomainError(ErrorType.validation, detail, fields);
  }
}
