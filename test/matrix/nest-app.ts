// A small Nest app using the adapter, run by matrix.test.ts inside a folder with another Nest
// version installed (symlinked there, run with --preserve-symlinks so imports resolve from it).
// Prints one JSON line: what it saw, on the Express and on the Fastify platform.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Controller, Get, Inject, Module, Post, Req, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  PostHogConversationsModule,
  PostHogConversationsService,
  PostHogIdentity,
  PostHogIdentityInterceptor,
  type IdentityFields,
} from 'posthog-conversations/nestjs';

type AnyRequest = { headers: Record<string, string | undefined>; userId?: string };
const userOf = (req: AnyRequest) => req.userId ?? (req.headers.cookie === 'sid=ada' ? 'user_ada' : undefined);

@Controller()
class AppController {
  constructor(@Inject(PostHogConversationsService) readonly posthog: PostHogConversationsService) {}

  @Get('page')
  page(@PostHogIdentity() identity: IdentityFields | null) {
    return { identity };
  }

  @Post('login')
  @UseInterceptors(PostHogIdentityInterceptor)
  login(@Req() req: AnyRequest) {
    req.userId = 'user_fresh';
    return { ok: true };
  }
}

@Module({
  imports: [
    PostHogConversationsModule.forRootAsync({
      useFactory: () => ({ secret: 'phs_matrix_secret', getDistinctId: (req: AnyRequest) => userOf(req) }),
      isGlobal: true,
      identityRoute: '/api/posthog-identity',
    }),
  ],
  controllers: [AppController],
})
class AppModule {}

const results: Record<string, unknown> = {
  nest: (createRequire(import.meta.url)('@nestjs/core/package.json') as { version: string }).version,
  node: process.version,
};
for (const [name, adapter] of [
  ['express', undefined],
  ['fastify', new FastifyAdapter()],
] as const) {
  const app = adapter
    ? await NestFactory.create(AppModule, adapter, { logger: false })
    : await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const page = await (await fetch(`${url}/page`, { headers: { cookie: 'sid=ada' } })).json();
  const visitor = await fetch(`${url}/api/posthog-identity`);
  const login = await (await fetch(`${url}/login`, { method: 'POST' })).json();
  results[name] = { page, visitor: [visitor.status, visitor.headers.get('cache-control')], login };
  await app.close();
}
console.log(JSON.stringify(results));
