/** `@PosthogWebhookDelivery()` and its pipe: a verified delivery as a handler parameter, 400 otherwise. */
import type { PipeTransform } from '@nestjs/common';
import type { WebhookDelivery } from '../../src/webhooks/events.js';
import { WebhookVerificationError } from '../../src/webhooks/verify.js';
import { nest } from './peers.js';
import { CurrentRequest, PosthogConversationsService } from './service.js';

const { BadRequestException, Inject, Injectable } = nest;

/** Verifies the request as a webhook delivery: the pipe behind `@PosthogWebhookDelivery()`. */
@Injectable()
export class PosthogWebhookPipe implements PipeTransform<unknown, WebhookDelivery> {
  constructor(@Inject(PosthogConversationsService) private readonly service: PosthogConversationsService) {}

  transform(request: unknown): WebhookDelivery {
    try {
      return this.service.verifyWebhook(request as Parameters<PosthogConversationsService['verifyWebhook']>[0]);
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw new BadRequestException({ error: error.message, code: error.code });
      throw error;
    }
  }
}

/**
 * A verified webhook delivery from PostHog, as a handler parameter; a forged, altered or stale one
 * is answered 400 before the handler runs. Needs `webhookSecret` and an app created with
 * `{ rawBody: true }`. Answer 2xx only once the delivery is handled (throw to have PostHog retry).
 *
 * @example
 * @Post('webhooks/posthog') @HttpCode(204)
 * async webhook(@PosthogWebhookDelivery() { id, event }: WebhookDelivery) { ... }
 */
export const PosthogWebhookDelivery = (): ParameterDecorator => CurrentRequest(undefined, PosthogWebhookPipe);
