import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { ReceiptSigner } from './receipt.signer.js';

/** `GET /.well-known/jwks.json` on the API listener: the public keys receipts are signed with. */
@Controller('.well-known')
@OnListener('api')
@UseGuards(ListenerGuard)
export class JwksHttpController {
  constructor(private readonly signer: ReceiptSigner) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.signer.jwks;
  }
}
