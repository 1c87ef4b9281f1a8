import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../common/gateway-error.js';
import { OnListener } from '../common/listener.js';
import { ConsoleExceptionFilter } from './console-exception.filter.js';
import { ApiConsolePages } from './console-openapi.decorators.js';
import { consoleHeaders } from './console-http.js';

/** The console's files: one stylesheet and two tiny scripts, served from this folder, nothing from outside. */
export const CONSOLE_ASSETS: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'continue.js': 'text/javascript; charset=utf-8',
  'verification.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<string, Buffer>();

function asset(name: string): Buffer {
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)));
    cache.set(name, body);
  }
  return body;
}

@Controller('console/assets')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages(['text/css', 'text/javascript'])
export class ConsoleAssetsHttpController {
  @Get(':name')
  file(@Param('name') name: string, @Res() response: Response): void {
    const type = Object.hasOwn(CONSOLE_ASSETS, name) ? CONSOLE_ASSETS[name] : undefined;
    if (!type) throw new GatewayError('CONSOLE.NOT_FOUND', 'not found');
    consoleHeaders(response);
    response.set('Cache-Control', 'private, max-age=300').type(type).send(asset(name));
  }
}
