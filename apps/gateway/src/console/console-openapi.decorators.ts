import { applyDecorators } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ApiOkResponse, ApiResponse, ApiSeeOtherResponse, ApiTags } from '@nestjs/swagger';

const TEXT = { type: 'string' } as const;
const HTML = { 'text/html': { schema: TEXT } };
const LOCATION = { Location: { description: 'where to go next', schema: TEXT } };

/**
 * The console is for people in a browser: its pages answer HTML (errors too, as pages in the user's
 * language), sign in through the session cookie and send forms with a CSRF token. This documents a console
 * controller as such: every route answers its page as `produces` (unless ApiConsoleAnswer on the route says
 * otherwise), redirects to sign-in without a session, and refuses with an HTML error page.
 */
export function ApiConsolePages(produces: string[] = ['text/html']): ClassDecorator {
  const page = {
    description: 'the page',
    content: Object.fromEntries(produces.map((type) => [type, { schema: TEXT }])),
  };
  const classWide = applyDecorators(
    ApiTags('console'),
    ApiSeeOtherResponse({ description: 'without a session: to the sign-in page', headers: LOCATION }),
    ApiResponse({
      status: 400,
      description: 'an error page: `CONSOLE.BAD_FORM`, `CONSOLE.SIGN_IN_FAILED`, or invalid input',
      content: HTML,
    }),
    ApiResponse({
      status: 403,
      description: 'an error page: `CONSOLE.CSRF`, or the role is missing',
      content: HTML,
    }),
    ApiResponse({
      status: 404,
      description: 'an error page: `CONSOLE.NOT_FOUND`, `CONSOLE.OFF`',
      content: HTML,
    }),
  );
  return (target) => {
    classWide(target);
    // A route's own (default) 200 would hide a class-wide one, so each route gets its page here.
    for (const key of Object.getOwnPropertyNames(target.prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
      if (
        typeof descriptor?.value !== 'function' ||
        Reflect.getMetadata(PATH_METADATA, descriptor.value) === undefined
      )
        continue;
      ApiResponse({ status: 200, ...page }, { overrideExisting: false })(target.prototype, key, descriptor);
    }
  };
}

/** What a console route answers instead of its page: a form's result page, or a redirect (post/redirect/get). */
export function ApiConsoleAnswer(answer: 'page' | 'redirect'): MethodDecorator {
  return answer === 'page'
    ? ApiOkResponse({ description: 'the page with the result', content: HTML })
    : ApiSeeOtherResponse({ description: 'on to the next page', headers: LOCATION });
}
