// /nestjs in an app without Nest: the error must say what to install.
try {
  await import('posthog-conversations/nestjs');
  console.log('loaded');
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}
