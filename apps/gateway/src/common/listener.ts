import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from './gateway-error.js';

export type ListenerName = 'partner' | 'admin';

/** Set on every request by the server that accepted it. */
export const LISTENER = Symbol('listener');
const LISTENER_METADATA = 'ketenpoort:listener';

/** Wraps an express app for one listener: each request remembers which listener it came through. */
export function forListener(
  name: ListenerName,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    (req as IncomingMessage & { [LISTENER]?: ListenerName })[LISTENER] = name;
    handler(req, res);
  };
}

/** The listener a controller answers on; on any other it does not exist (404). */
export const OnListener = (name: ListenerName) => SetMetadata(LISTENER_METADATA, name);

@Injectable()
export class ListenerGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const wanted = this.reflector.getAllAndOverride<ListenerName | undefined>(LISTENER_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<IncomingMessage & { [LISTENER]?: ListenerName }>();
    if (!wanted || request[LISTENER] !== wanted) throw new GatewayError('HTTP.NOT_FOUND', 'not found');
    return true;
  }
}
