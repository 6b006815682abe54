import { DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import { CORRELATION_HEADER, currentCorrelationId } from './correlation';

/** JSON logs, one line per event, with the correlation id of the request being served. */
export function createRootLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const correlation_id = currentCorrelationId();
      return correlation_id ? { correlation_id } : {};
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.refresh_token'],
      censor: '[redacted]',
    },
  });
}

@Module({})
export class LoggingModule {
  static forRoot(logger: Logger, options: { httpRequests: boolean }): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: options.httpRequests ? { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') } : false,
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const header = req.headers[CORRELATION_HEADER];
              const given = Array.isArray(header) ? header[0] : header;
              const id = given && /^[A-Za-z0-9._-]{1,128}$/.test(given) ? given : randomUUID();
              res.setHeader(CORRELATION_HEADER, id);
              return id;
            },
            customProps: (req) => ({ correlation_id: (req as IncomingMessage & { id?: string }).id }),
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
