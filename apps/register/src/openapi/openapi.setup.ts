import type { INestApplication } from '@nestjs/common';
import { ApiProperty, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { documentSignalContract } from '@ketenpoort/signal-contract';
import { LISTENER, type ListenerName } from '../common/listener.js';
import { ERROR_SCHEMA } from './api-errors.decorator.js';

/** Builds the register's OpenAPI document from its controllers (deterministic: no hosts or ports). */
export function registerOpenApi(app: INestApplication): OpenAPIObject {
  // Records carry signal-contract blocks (exploitation, situation, consent): document them too.
  documentSignalContract((options) => ApiProperty(options));
  const config = new DocumentBuilder()
    .setTitle('Ketenpoort register')
    .setDescription(
      'Intake listener (mutual TLS, the gateway only: signed records in, signed receipts out; witness of the audit log) and API listener (bearer tokens: analyst statistics, register-steward reads). Errors answer { code, message, fields? } and never echo a value.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { deepScanRoutes: true });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA as never } };
  return document;
}

/** Serves the document at /docs (UI) and /docs-json on the API listener only. */
export function serveRegisterOpenApi(app: INestApplication, document: OpenAPIObject, listener: ListenerName = 'api') {
  const http = app.getHttpAdapter().getInstance() as {
    use(paths: string[], handler: (req: object, res: { status(n: number): { json(b: unknown): void } }, next: () => void) => void): void;
  };
  http.use(['/docs', '/docs-json'], (req, res, next) => {
    if ((req as Record<symbol, ListenerName>)[LISTENER] !== listener) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'not found' });
      return;
    }
    next();
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
