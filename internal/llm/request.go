package llm

import (
	"errors"
	"fmt"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

// Message roles accepted in Message.Role.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// Message is one chat message. An assistant message may carry ToolCalls
// (Content may then be empty); a tool message answers the call named by
// ToolCallID.
type Message struct {
	Role       string
	Content    string
	ToolCalls  []ToolCall
	ToolCallID string
}

// Tool declares a function the model may call.
type Tool struct {
	Name, Description string
	// Parameters is the JSON Schema of the arguments object.
	Parameters map[string]any
}

// ToolCall is a function call made by the model; Arguments is the JSON
// text of the arguments as the model wrote it (it may be invalid).
type ToolCall struct {
	ID, Name, Arguments string
}

// Schema asks for structured output: response_format json_schema, strict.
type Schema struct {
	Name   string
	Schema map[string]any
}

// Request is one chat completion request.
type Request struct {
	Messages []Message
	Tools    []Tool
	Schema   *Schema
	// MaxTokens caps the answer (sent as max_completion_tokens); 0 means
	// the server's default.
	MaxTokens int
	// Temperature is sent when non-nil.
	Temperature *float64
	// Model overrides Options.Model when set (e.g. for the judge).
	Model string
}

// Response is the first choice of a chat completion.
type Response struct {
	Content      string
	ToolCalls    []ToolCall
	FinishReason string
	// Usage is what this call cost, retries included.
	Usage Usage
	// Model is the model the server says answered.
	Model string
}

// params converts req to the openai-go request parameters.
func (c *Client) params(req Request) (openai.ChatCompletionNewParams, error) {
	var p openai.ChatCompletionNewParams
	if len(req.Messages) == 0 {
		return p, errors.New("request has no messages")
	}
	if req.MaxTokens < 0 {
		return p, fmt.Errorf("MaxTokens %d: must not be negative", req.MaxTokens)
	}
	p.Model = c.model
	if req.Model != "" {
		p.Model = req.Model
	}
	for i, m := range req.Messages {
		mp, err := messageParam(m)
		if err != nil {
			return p, fmt.Errorf("message %d: %w", i, err)
		}
		p.Messages = append(p.Messages, mp)
	}
	for i, t := range req.Tools {
		if t.Name == "" {
			return p, fmt.Errorf("tool %d: Name is required", i)
		}
		p.Tools = append(p.Tools, toolParam(t))
	}
	if req.Schema != nil {
		rf, err := schemaParam(*req.Schema)
		if err != nil {
			return p, err
		}
		p.ResponseFormat = rf
	}
	if req.MaxTokens > 0 {
		p.MaxCompletionTokens = openai.Int(int64(req.MaxTokens))
	}
	if req.Temperature != nil {
		p.Temperature = openai.Float(*req.Temperature)
	}
	return p, nil
}

func messageParam(m Message) (openai.ChatCompletionMessageParamUnion, error) {
	switch m.Role {
	case RoleSystem:
		return openai.SystemMessage(m.Content), nil
	case RoleUser:
		return openai.UserMessage(m.Content), nil
	case RoleAssistant:
		return assistantParam(m)
	case RoleTool:
		if m.ToolCallID == "" {
			return openai.ChatCompletionMessageParamUnion{}, errors.New("tool message needs ToolCallID")
		}
		return openai.ToolMessage(m.Content, m.ToolCallID), nil
	default:
		return openai.ChatCompletionMessageParamUnion{}, fmt.Errorf("role %q: want system, user, assistant or tool", m.Role)
	}
}

func assistantParam(m Message) (openai.ChatCompletionMessageParamUnion, error) {
	var a openai.ChatCompletionAssistantMessageParam
	if m.Content != "" || len(m.ToolCalls) == 0 {
		a.Content.OfString = openai.String(m.Content)
	}
	for i, tc := range m.ToolCalls {
		if tc.ID == "" || tc.Name == "" {
			return openai.ChatCompletionMessageParamUnion{}, fmt.Errorf("tool call %d: ID and Name are required", i)
		}
		a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{
			OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
				ID:       tc.ID,
				Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: tc.Name, Arguments: tc.Arguments},
			},
		})
	}
	return openai.ChatCompletionMessageParamUnion{OfAssistant: &a}, nil
}

func toolParam(t Tool) openai.ChatCompletionToolUnionParam {
	def := shared.FunctionDefinitionParam{Name: t.Name, Parameters: shared.FunctionParameters(t.Parameters)}
	if t.Description != "" {
		def.Description = openai.String(t.Description)
	}
	return openai.ChatCompletionFunctionTool(def)
}

func schemaParam(s Schema) (openai.ChatCompletionNewParamsResponseFormatUnion, error) {
	if s.Name == "" || s.Schema == nil {
		return openai.ChatCompletionNewParamsResponseFormatUnion{}, errors.New("schema: Name and Schema are required")
	}
	return openai.ChatCompletionNewParamsResponseFormatUnion{
		OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
				Name: s.Name, Schema: s.Schema, Strict: openai.Bool(true),
			},
		},
	}, nil
}
