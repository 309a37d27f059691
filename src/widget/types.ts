/** The widget API's input and answer types: exported by the root and by `/widget`. */
export type {
  GetMessagesInput,
  IterateWidgetTicketsInput,
  ListWidgetTicketsInput,
  MarkReadResult,
  RedeemRestoreInput,
  RequestRestoreInput,
  RestoreRedeemResult,
  SendMessageInput,
  SendMessageResult,
  WidgetAuthInput,
  WidgetMessage,
  WidgetMessagesPage,
  WidgetTicket,
  WidgetTicketsPage,
} from './schemas.js';
