/** `@PostHogWebhookDelivery()` and its pipe: a verified delivery as a handler parameter, 400 otherwise. */
import type { PipeTransform } from '@nestjs/common';
import type { WebhookDelivery } from '../../src/webhooks/events.js';
import { WebhookVerificationError } from '../../src/webhooks/verify.js';
import { nest } from './peers.js';
import { CurrentRequest, PostHogConversationsService } from './service.js';

const { BadRequestException, Inject, Injectable } = nest;

/** Verifies the request as a webhook delivery: the pipe behind `@PostHogWebhookDelivery()`. */
@Injectable()
export class PostHogWebhookPipe implements PipeTransform<unknown, WebhookDelivery> {
  constructor(@Inject(PostHogConversationsService) private readonly service: PostHogConversationsService) {}

  transform(request: unknown): WebhookDelivery {
    try {
      return this.service.verifyWebhook(request as Parameters<PostHogConversationsService['verifyWebhook']>[0]);
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
 * async webhook(@PostHogWebhookDelivery() { id, event }: WebhookDelivery) { ... }
 */
export const PostHogWebhookDelivery = (): ParameterDecorator => CurrentRequest(undefined, PostHogWebhookPipe);
