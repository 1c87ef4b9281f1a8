import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RegisterError } from './register.error.js';

/** The register's two listeners: `intake` (mTLS, the gateway only) and `api` (server TLS, bearer tokens). */
export type ListenerName = 'intake' | 'api';

/** Set on every request by the server that accepted it. */
export const LISTENER = Symbol('ketenpoort.register.listener');

const LISTENER_METADATA = 'ketenpoort:listener';

/** Routes a controller to one listener; on the other it answers 404 (use with `ListenerGuard`). */
export const OnListener = (listener: ListenerName) => SetMetadata(LISTENER_METADATA, listener);

@Injectable()
export class ListenerGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const wanted = this.reflector.getAllAndOverride<ListenerName | undefined>(LISTENER_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<{ [LISTENER]?: ListenerName }>();
    if (!wanted || request[LISTENER] !== wanted) throw new RegisterError('NOT_FOUND', 'not found');
    return true;
  }
}
