import {
  ArgumentsHost,
  Catch,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
  ValidationPipe,
  type ValidationError,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorType, type FieldError, type RpcErrorEnvelope, type RpcRequest, type RpcSubject } from '@app/contracts';
import { runWithCorrelation } from '@app/common';

/** Binds a handler method to a subject from `RpcSubjects` (no bare strings). */
export const RpcHandler = (subject: RpcSubject): MethodDecorator => MessagePattern(subject);

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationErrorFrom(errors: ValidationError[]): DomainError {
  const fields = flattenValidationErrors(errors);
  const detail = fields.length ? fields.map((f) => f.message.startsWith(f.field) ? f.message : `${f.field}: ${f.message}`).join('; ') : 'Invalid input';
  return DomainError.validation(detail, fields);
}

/** Whitelisting validation for both ends: unknown fields are refused, never silently stored. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationErrorFrom(errors),
  });
}

/** Runs each handler with the caller's correlation id in scope for logging. */
@Injectable()
export class RpcCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToRpc().getData<RpcRequest<unknown> | undefined>();
    const correlationId = request?.ctx?.correlation_id;
    return new Observable((subscriber) => runWithCorrelation(correlationId, () => next.handle().subscribe(subscriber)));
  }
}

/** Maps whatever a handler throws to the typed error envelope; unknown errors are logged and hidden. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) return throwError(() => exception.toEnvelope());
    const request = host.switchToRpc().getData<RpcRequest<unknown> | undefined>();
    this.logger.error({ err: exception, correlation_id: request?.ctx?.correlation_id, subject: host.switchToRpc().getContext()?.getSubject?.() }, 'unhandled error in RPC handler');
    const envelope: RpcErrorEnvelope = { status: 500, error_type: ErrorType.internal, detail: 'Internal error' };
    return throwError(() => envelope);
  }
}
