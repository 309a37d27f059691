/** `@PostHogIdentity()`, its pipe, the login-answer interceptor and the SPA identity route. */
import type { CallHandler, ExecutionContext, NestInterceptor, PipeTransform, Type } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { identityEndpointAnswer } from '../../src/adapter-kit/request-identity.js';
import { ConfigurationError } from '../../src/basics/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { nest, operators, rxjs } from './peers.js';
import { CurrentRequest, NEEDS_GET_DISTINCT_ID, PostHogConversationsService } from './service.js';

const { Controller, Get, Inject, Injectable, Res } = nest;
const { from } = rxjs;
const { mergeMap } = operators;

/** Turns the request into its identity: the pipe behind `@PostHogIdentity()`. */
@Injectable()
export class PostHogIdentityPipe implements PipeTransform<unknown, Promise<IdentityFields | null>> {
  constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {}

  transform(request: unknown): Promise<IdentityFields | null> {
    return this.service.identityOf(request);
  }
}

/**
 * The widget identity of the logged-in user (or null for a visitor), as a handler parameter.
 *
 * @example
 * @Get('/') page(@PostHogIdentity() identity: IdentityFields | null) { return { identity } }
 */
export const PostHogIdentity = (): ParameterDecorator => CurrentRequest(undefined, PostHogIdentityPipe);

/** Adds `posthogIdentity` to a handler's JSON answer, resolved after it ran: for login routes. */
@Injectable()
export class PostHogIdentityInterceptor implements NestInterceptor {
  constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<unknown>();
    return next
      .handle()
      .pipe(
        mergeMap((body: unknown) =>
          from(
            this.service
              .identityOf(request)
              .then((posthogIdentity) =>
                typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, posthogIdentity } : body,
              ),
          ),
        ),
      );
  }
}

/** A controller answering the SPA identity endpoint at `path`. */
export function identityController(path: string): Type<unknown> {
  @Controller()
  class PostHogIdentityController {
    constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {
      // At start-up, not on the first request.
      if (!service.resolvesIdentity) throw new ConfigurationError(`identityRoute ${NEEDS_GET_DISTINCT_ID}`);
    }

    @Get(path)
    async identity(
      @CurrentRequest() request: unknown,
      @Res({ passthrough: true }) response: { status(code: number): unknown; header(name: string, value: string): unknown },
    ) {
      const answer = identityEndpointAnswer(await this.service.identityOf(request));
      // Express's res and Fastify's reply both have status() and header(); no exception class is
      // involved, so a second copy of @nestjs/common in an app cannot turn the 401 into a 500.
      response.status(answer.status);
      response.header('cache-control', 'no-store');
      return answer.body;
    }
  }
  return PostHogIdentityController;
}
