/**
 * `@PostHogWebhookDelivery()` and its pipe: a verified delivery as a handler parameter, 400
 * otherwise; and the interceptor that handles each delivery once across replicas.
 */
import type { CallHandler, ExecutionContext, NestInterceptor, PipeTransform } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { WebhookDelivery } from '../../src/webhooks/events.js';
import type { Admission } from '../../src/webhooks/idempotency.js';
import { refusedAnswer } from '../../src/webhooks/receiver.js';
import { WebhookVerificationError } from '../../src/webhooks/verify.js';
import { nest, operators, rxjs } from './peers.js';
import { CurrentRequest, PostHogConversationsService, type WebhookRequest } from './service.js';

const { BadRequestException, HttpException, Inject, Injectable } = nest;
const { from, of, throwError } = rxjs;
const { catchError, mergeMap } = operators;

const refusal = (error: WebhookVerificationError) => new BadRequestException({ error: error.message, code: error.code });

/** Verifies the request as a webhook delivery: the pipe behind `@PostHogWebhookDelivery()`. */
@Injectable()
export class PostHogWebhookPipe implements PipeTransform<unknown, WebhookDelivery> {
  constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {}

  transform(request: unknown): WebhookDelivery {
    try {
      return this.service.verifyWebhook(request as WebhookRequest);
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw refusal(error);
      throw error;
    }
  }
}

/**
 * Runs a webhook handler once per delivery across replicas, with the module's
 * `webhookIdempotency` store: it verifies and claims the delivery before the handler, records it
 * done after, and releases it when the handler throws (PostHog's retry runs it again). A delivery
 * already done is answered with the route's 2xx without running the handler; one another replica
 * is handling, 429 with `Retry-After`; a store that fails, 503.
 *
 * @example
 * @Post('webhooks/posthog') @HttpCode(204) @UseInterceptors(PostHogWebhookInterceptor)
 * async webhook(@PostHogWebhookDelivery() { id, event }: WebhookDelivery) { ... }
 */
@Injectable()
export class PostHogWebhookInterceptor implements NestInterceptor {
  constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<WebhookRequest>();
    const admitted = Promise.resolve()
      .then(() => this.service.admitWebhook(request))
      .catch((error: unknown) => {
        throw error instanceof WebhookVerificationError ? refusal(error) : error;
      });
    return from(admitted).pipe(
      mergeMap((admission: Admission) => {
        if (admission.run)
          return next.handle().pipe(
            mergeMap((value: unknown) => from(admission.settle(true).then(() => value))),
            catchError((error: unknown) => from(admission.settle(false)).pipe(mergeMap(() => throwError(() => error)))),
          );
        // The same answers as every other receiver: done is the route's own 2xx, busy 429, store failed 503.
        const answer = refusedAnswer(admission);
        if (answer.body === undefined) return of(undefined);
        // Express's res and Fastify's reply both have header(name, value).
        const response = http.getResponse<{ header(name: string, value: string): unknown }>();
        for (const [name, value] of Object.entries(answer.headers ?? {})) response.header(name, value);
        return throwError(() => new HttpException(answer.body!, answer.status));
      }),
    );
  }
}

/**
 * A verified webhook delivery from PostHog, as a handler parameter; a forged, altered or stale one
 * is answered 400 before the handler runs. Needs `webhookSecret` and an app created with
 * `{ rawBody: true }`. Answer 2xx only once the delivery is handled (throw to have PostHog retry).
 *
 * @example
 * @Post('webhooks/posthog') @HttpCode(204)
 * async webhook(@PostHogWebhookDelivery() { id, event }: WebhookDelivery) { ... }
 */
export const PostHogWebhookDelivery = (): ParameterDecorator => CurrentRequest(undefined, PostHogWebhookPipe);
