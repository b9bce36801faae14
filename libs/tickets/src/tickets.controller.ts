import { AuthUser, CurrentUser } from '@app/identity';
import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { UploadedFile } from './attachments';
import { AddMessageDto, CreateTicketDto, ListTicketsQuery, UpdateTicketDto } from './dto';
import { LIMITS, VISIBILITIES } from './ticket.types';
import { AttachmentUpload, FILES_SCHEMA } from './upload.interceptor';
import { TicketsQuery } from './tickets.query';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly query: TicketsQuery,
  ) {}

  /** 201 with `{id, reference, status, severity, supportLevel, receivedAt, targets: [{metric, dueAt, warningAt, state}], …}`. */
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTicketDto) {
    return this.tickets.create(user, dto);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ListTicketsQuery) {
    return this.query.list(user, q);
  }

  @Get('by-reference/:reference')
  byReference(@CurrentUser() user: AuthUser, @Param('reference') ref: string) {
    return this.tickets.findByReference(user, ref);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.tickets.get(user, id);
  }

  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTicketDto,
  ) {
    return this.tickets.update(user, id, dto);
  }

  /**
   * A public reply or an internal note: JSON, or multipart/form-data with files (field `files`),
   * which take the message's visibility. 201 with `{id, visibility, createdAt, attachments}`.
   */
  @Post(':id/messages')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['visibility'],
      properties: {
        body: {
          type: 'string',
          maxLength: LIMITS.body,
          description: 'Required unless files are sent.',
        },
        visibility: { type: 'string', enum: [...VISIBILITIES] },
        files: FILES_SCHEMA,
      },
    },
  })
  @UseInterceptors(AttachmentUpload)
  addMessage(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddMessageDto,
    @UploadedFiles() files: UploadedFile[] | undefined,
  ) {
    return this.tickets.addMessage(user, id, { ...dto, files: files ?? [] });
  }
}
