import type { INestApplication } from '@nestjs/common';
import type { Express, NextFunction, Request, Response } from 'express';
import { ApiProperty, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { documentSignalContract } from '@ketenpoort/signal-contract';
import { LISTENER, type ListenerName } from '../common/listener.js';

/** The error shape every endpoint answers with (never a submitted value). */
export const ERROR_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', example: 'SIGNAL.INVALID', description: 'stable error code' },
    message: { type: 'string', example: 'the signal is not a valid signal v1' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          path: { type: 'string', example: 'subject.birthDate' },
          reasons: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    errorId: {
      type: 'string',
      format: 'uuid',
      description: 'only on 500: the id under which the details were logged',
    },
  },
} as const;

/** Builds the gateway's OpenAPI document from its controllers (deterministic: no hosts or ports). */
export function gatewayOpenApi(app: INestApplication): OpenAPIObject {
  documentSignalContract((options) => ApiProperty(options));
  const config = new DocumentBuilder()
    .setTitle('Ketenpoort gateway')
    .setDescription(
      'Partner listener (mutual TLS: the partner is its client certificate) and admin listener (bearer tokens with roles integrator, privacy-officer, auditor). Errors share one shape; no answer ever contains a submitted value or a token.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { deepScanRoutes: true });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA as never },
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as {
      responses?: Record<string, unknown>;
      tags?: string[];
    }[]) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      // Console pages answer refusals as HTML pages (documented on each page), not with this shape.
      if (operation.tags?.includes('console')) continue;
      operation.responses = {
        ...operation.responses,
        '4XX': {
          description: 'refused; see `error` for the code',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      };
    }
  }
  return document;
}

/** Serves the document at /docs (UI) and /docs-json on one listener only. */
export function serveOpenApi(
  app: INestApplication,
  expressApp: Express,
  document: OpenAPIObject,
  listener: ListenerName,
) {
  expressApp.use(['/docs', '/docs-json'], (req: Request, res: Response, next: NextFunction) => {
    if ((req as unknown as Record<symbol, ListenerName>)[LISTENER] !== listener) {
      res.status(404).json({ error: 'HTTP.NOT_FOUND', message: 'not found' });
      return;
    }
    next();
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
