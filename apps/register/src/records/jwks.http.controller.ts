import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { ReceiptSigner } from './receipt.signer.js';

/** `GET /.well-known/jwks.json` on the API listener: the public keys receipts are signed with. */
@Controller('.well-known')
@OnListener('api')
@ApiTags('keys')
@UseGuards(ListenerGuard)
export class JwksHttpController {
  constructor(private readonly signer: ReceiptSigner) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'the public keys receipts are signed with (JWKS)' })
  @ApiOkResponse({
    description: 'a JSON Web Key Set (RFC 7517)',
    schema: {
      type: 'object',
      required: ['keys'],
      properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } },
    },
    example: {
      keys: [
        {
          kty: 'OKP',
          crv: 'Ed25519',
          x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
          kid: 'register-1',
          alg: 'EdDSA',
        },
      ],
    },
  })
  @ApiErrors({ 404: '`NOT_FOUND`: only the API listener serves it' })
  jwks(): JSONWebKeySet {
    return this.signer.jwks;
  }
}
