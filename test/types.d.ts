// Express 4 is installed under an alias for the adapter tests; its API matches @types/express.
declare module 'express4' {
  import express from 'express';
  export default express;
}
